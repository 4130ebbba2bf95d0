/*
 * The "Debian's OpenBLAS from C" baseline: cblas_sgemm / cblas_dgemm called directly, for the
 * matmul cases of cuaderno-bench, by the same method, printing the same JSON shape.
 *
 *     gcc -O2 -o .build-bench/openblas_baseline Benchmarks/openblas_baseline.c \
 *         $(pkg-config --cflags --libs openblas)
 *     .build-bench/openblas_baseline [--list] [CASE-OR-PREFIX ...]
 *
 * Method (identical in cuaderno-bench and numpy_bench.py):
 * - the inputs (and here the output buffer, as a C programmer would) are made once per case;
 * - warm-up: the case runs at least once and until 0.1 s has gone by (at most 1,000 calls);
 * - runs: enough to fill about 0.5 s at the warm-up's median speed, at least 5, at most 100,000;
 * - each run is timed alone with clock_gettime(CLOCK_MONOTONIC); the median is reported.
 * OpenBLAS chooses its own thread count (all cores unless OPENBLAS_NUM_THREADS says otherwise).
 */
#define _POSIX_C_SOURCE 199309L
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARM_UP_SECONDS 0.1
#define MAX_WARM_UP_CALLS 1000
#define TARGET_SECONDS 0.5
#define MIN_RUNS 5
#define MAX_RUNS 100000

static double now(void) {
    struct timespec spec;
    clock_gettime(CLOCK_MONOTONIC, &spec);
    return (double)spec.tv_sec + (double)spec.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count) {
    qsort(values, (size_t)count, sizeof(double), compare_doubles);
    return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

struct gemm_case {
    int n;
    int single; /* 1: float32 (sgemm), 0: float64 (dgemm) */
    void *a, *b, *c;
};

static void run_case(const struct gemm_case *g) {
    int n = g->n;
    if (g->single)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, g->a, n, g->b, n, 0.0f, g->c, n);
    else
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, g->a, n, g->b, n, 0.0, g->c, n);
}

static double time_case(const struct gemm_case *g) {
    double start = now();
    run_case(g);
    return now() - start;
}

/* Standard normal numbers (Box–Muller over a 64-bit LCG); the values only need to be ordinary. */
static unsigned long long lcg_state = 0x853c49e6748fea9bULL;
static double uniform(void) {
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(lcg_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gaussian(void) {
    return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static int selected(const char *name, int argc, char **argv) {
    if (argc <= 1) return 1;
    for (int i = 1; i < argc; i++)
        if (strncmp(name, argv[i], strlen(argv[i])) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    static const int sizes[] = {64, 256, 1024, 2048};
    const int size_count = (int)(sizeof sizes / sizeof sizes[0]);
    char names[8][32];
    int name_count = 0;
    for (int single = 1; single >= 0; single--)
        for (int s = 0; s < size_count; s++)
            snprintf(names[name_count++], sizeof names[0], "matmul-%s-%d", single ? "f32" : "f64", sizes[s]);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            for (int k = 0; k < name_count; k++) puts(names[k]);
            return 0;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "openblas_baseline: unknown option %s; usage: openblas_baseline [--list] [CASE-OR-PREFIX ...]\n",
                    argv[i]);
            return 2;
        }
        int found = 0;
        for (int k = 0; k < name_count; k++) found |= strncmp(names[k], argv[i], strlen(argv[i])) == 0;
        if (!found) {
            fprintf(stderr, "openblas_baseline: no case is named or starts with '%s'; see --list\n", argv[i]);
            return 2;
        }
    }

    printf("{");
    int printed = 0;
    for (int k = 0; k < name_count; k++) {
        if (!selected(names[k], argc, argv)) continue;
        struct gemm_case g = {.n = sizes[k % size_count], .single = k < size_count};
        size_t count = (size_t)g.n * (size_t)g.n, element = g.single ? sizeof(float) : sizeof(double);
        g.a = malloc(count * element);
        g.b = malloc(count * element);
        g.c = malloc(count * element);
        for (size_t i = 0; i < count; i++) {
            if (g.single) {
                ((float *)g.a)[i] = (float)gaussian();
                ((float *)g.b)[i] = (float)gaussian();
            } else {
                ((double *)g.a)[i] = gaussian();
                ((double *)g.b)[i] = gaussian();
            }
        }
        memset(g.c, 0, count * element);

        double warm_up[MAX_WARM_UP_CALLS];
        int warm_up_count = 0;
        double warm_up_start = now();
        do {
            warm_up[warm_up_count++] = time_case(&g);
        } while (now() - warm_up_start < WARM_UP_SECONDS && warm_up_count < MAX_WARM_UP_CALLS);
        double estimate = median(warm_up, warm_up_count);
        if (estimate < 1e-9) estimate = 1e-9;
        double wanted = ceil(TARGET_SECONDS / estimate);
        int runs = wanted > MAX_RUNS ? MAX_RUNS : wanted < MIN_RUNS ? MIN_RUNS : (int)wanted;
        double *times = malloc((size_t)runs * sizeof(double));
        for (int r = 0; r < runs; r++) times[r] = time_case(&g);
        double seconds = median(times, runs);
        double gflops = 2.0 * (double)g.n * g.n * g.n / seconds / 1e9;

        printf("%s\n  \"%s\": {\"median_seconds\": %.9g, \"gflops\": %.6g, \"runs\": %d}", printed ? "," : "", names[k],
               seconds, gflops, runs);
        fflush(stdout);
        fprintf(stderr, "%s: %.6g s (%d runs)\n", names[k], seconds, runs);
        printed = 1;
        free(times);
        free(g.a);
        free(g.b);
        free(g.c);
    }
    printf("\n}\n");
    return 0;
}
