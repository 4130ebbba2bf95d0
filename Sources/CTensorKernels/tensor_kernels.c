#include "tensor_kernels.h"

#include <immintrin.h>
#include <malloc.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

// glibc's libmvec entry points, named by the x86_64 vector function ABI: 'e' is AVX-512 and
// 'd' AVX2, followed by the lane count.
__m512d _ZGVeN8v_exp(__m512d);
__m512d _ZGVeN8v_sin(__m512d);
__m512d _ZGVeN8v_cos(__m512d);
__m512 _ZGVeN16v_expf(__m512);
__m512 _ZGVeN16v_sinf(__m512);
__m512 _ZGVeN16v_cosf(__m512);
__m256d _ZGVdN4v_exp(__m256d);
__m256d _ZGVdN4v_sin(__m256d);
__m256d _ZGVdN4v_cos(__m256d);
__m256 _ZGVdN8v_expf(__m256);
__m256 _ZGVdN8v_sinf(__m256);
__m256 _ZGVdN8v_cosf(__m256);
__m512d _ZGVeN8v_erf(__m512d);
__m512 _ZGVeN16v_erff(__m512);
__m256d _ZGVdN4v_erf(__m256d);
__m256 _ZGVdN8v_erff(__m256);

enum level { LEVEL_SCALAR, LEVEL_AVX2, LEVEL_AVX512 };

static enum level vector_level(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f")) {
            cached = LEVEL_AVX512;
        } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            cached = LEVEL_AVX2;
        } else {
            cached = LEVEL_SCALAR;
        }
    }
    return (enum level)cached;
}

const char *cuaderno_vector_level(void) {
    switch (vector_level()) {
    case LEVEL_AVX512: return "avx512";
    case LEVEL_AVX2: return "avx2";
    default: return "scalar";
    }
}

// GELU's derivative, (x·Φ(x))′ = Φ(x) + x·φ(x) = (1 + erf(x/√2))/2 + x·e^(−x²/2)/√(2π): the
// backward step of BERT's feed-forward blocks. Fused into one pass with libmvec's erf and exp,
// where the composition of tensor operations took ten passes and a scalar erf per element (15% of
// a LoRA step of MiniLM went to libm's erff). The forward GELU keeps libm's scalar erf, whose last
// bits the lessons' printed numbers depend on.
#define DEFINE_GELU_DERIVATIVE(NAME, TARGET, TYPE, VECTOR, ERF, EXP)                                \
    __attribute__((target(TARGET))) static VECTOR NAME(VECTOR x) {                                 \
        /* Through pointers, as DEFINE_KERNEL calls libmvec: clang refuses a direct call with */   \
        /* wide vector arguments to a function declared without the target's features. */          \
        VECTOR (*erf_routine)(VECTOR) = ERF, (*exp_routine)(VECTOR) = EXP;                         \
        VECTOR cumulative = ((TYPE)1 + erf_routine(x * (TYPE)0.70710678118654752440)) * (TYPE)0.5;  \
        VECTOR density = exp_routine(x * x * (TYPE)-0.5) * (TYPE)0.39894228040143267794;           \
        return cumulative + x * density;                                                           \
    }

DEFINE_GELU_DERIVATIVE(gelu_derivative_f64_avx512, "avx512f", double, __m512d, _ZGVeN8v_erf, _ZGVeN8v_exp)
DEFINE_GELU_DERIVATIVE(gelu_derivative_f32_avx512, "avx512f", float, __m512, _ZGVeN16v_erff, _ZGVeN16v_expf)
DEFINE_GELU_DERIVATIVE(gelu_derivative_f64_avx2, "avx2,fma", double, __m256d, _ZGVdN4v_erf, _ZGVdN4v_exp)
DEFINE_GELU_DERIVATIVE(gelu_derivative_f32_avx2, "avx2,fma", float, __m256, _ZGVdN8v_erff, _ZGVdN8v_expf)

static double gelu_derivative_f64(double x) {
    return (1 + erf(x * 0.70710678118654752440)) * 0.5 + x * (exp(x * x * -0.5) * 0.39894228040143267794);
}

static float gelu_derivative_f32(float x) {
    return (1 + erff(x * 0.70710678118654752440f)) * 0.5f + x * (expf(x * x * -0.5f) * 0.39894228040143267794f);
}

// One kernel per (instruction set, element type). The tail is padded into a full vector so that
// every element goes through the same routine: results never depend on where a loop was split.
// Vectors are read and written through the unaligned vector types rather than the load and store
// intrinsics: the debug build compiles this file without optimisation, where every intrinsic's
// arguments go through the stack, which cost as much as the exp itself.
#define DEFINE_KERNEL(NAME, TARGET, TYPE, VECTOR, UNALIGNED, LANES, EXP, SIN, COS, GELU_DERIVATIVE) \
    __attribute__((target(TARGET))) static void NAME(cuaderno_vector_function function,      \
                                                     const TYPE *x, TYPE *y, long count) {     \
        VECTOR (*routine)(VECTOR) = function == CUADERNO_EXP ? EXP                              \
                                  : function == CUADERNO_SIN ? SIN                              \
                                  : function == CUADERNO_COS ? COS : GELU_DERIVATIVE;           \
        const TYPE *end = x + count / LANES * LANES;                                            \
        for (; x < end; x += LANES, y += LANES) *(UNALIGNED *)y = routine(*(const UNALIGNED *)x); \
        long rest = count % LANES;                                                              \
        if (rest > 0) {                                                                         \
            TYPE in[LANES] = {0}, out[LANES];                                                   \
            memcpy(in, x, (size_t)rest * sizeof(TYPE));                                         \
            *(UNALIGNED *)out = routine(*(const UNALIGNED *)in);                                \
            memcpy(y, out, (size_t)rest * sizeof(TYPE));                                        \
        }                                                                                       \
    }

DEFINE_KERNEL(map_f64_avx512, "avx512f", double, __m512d, __m512d_u, 8, _ZGVeN8v_exp, _ZGVeN8v_sin, _ZGVeN8v_cos,
              gelu_derivative_f64_avx512)
DEFINE_KERNEL(map_f32_avx512, "avx512f", float, __m512, __m512_u, 16, _ZGVeN16v_expf, _ZGVeN16v_sinf, _ZGVeN16v_cosf,
              gelu_derivative_f32_avx512)
DEFINE_KERNEL(map_f64_avx2, "avx2,fma", double, __m256d, __m256d_u, 4, _ZGVdN4v_exp, _ZGVdN4v_sin, _ZGVdN4v_cos,
              gelu_derivative_f64_avx2)
DEFINE_KERNEL(map_f32_avx2, "avx2,fma", float, __m256, __m256_u, 8, _ZGVdN8v_expf, _ZGVdN8v_sinf, _ZGVdN8v_cosf,
              gelu_derivative_f32_avx2)

void cuaderno_vector_map_f64(cuaderno_vector_function function, const double *x, double *y, long count) {
    switch (vector_level()) {
    case LEVEL_AVX512: map_f64_avx512(function, x, y, count); return;
    case LEVEL_AVX2: map_f64_avx2(function, x, y, count); return;
    default:
        for (long i = 0; i < count; i++) {
            y[i] = function == CUADERNO_EXP ? exp(x[i]) : function == CUADERNO_SIN ? sin(x[i])
                 : function == CUADERNO_COS ? cos(x[i]) : gelu_derivative_f64(x[i]);
        }
    }
}

void cuaderno_vector_map_f32(cuaderno_vector_function function, const float *x, float *y, long count) {
    switch (vector_level()) {
    case LEVEL_AVX512: map_f32_avx512(function, x, y, count); return;
    case LEVEL_AVX2: map_f32_avx2(function, x, y, count); return;
    default:
        for (long i = 0; i < count; i++) {
            y[i] = function == CUADERNO_EXP ? expf(x[i]) : function == CUADERNO_SIN ? sinf(x[i])
                 : function == CUADERNO_COS ? cosf(x[i]) : gelu_derivative_f32(x[i]);
        }
    }
}

// Adam's update, element by element, in the order of AdamStep.swift's formulas. Swift cannot
// vectorise it: the library is compiled for every x86-64 (no AVX), and Swift's square root keeps
// a scalar call for errno. Three divisions and a square root per element are most of an
// optimizer step, and AVX-512 does eight at a time. The vectors are clang's vector types with
// plain operators, which stay fast in the debug build (compiled without optimisation). No
// contraction into fused multiply-adds: each product and sum is rounded on its own, as in Swift,
// so every instruction set gives the same bits.
#pragma STDC FP_CONTRACT OFF

#define ADAM_STEP(TYPE, SQRT, load, store)                                                             \
    do {                                                                                               \
        TYPE gradient = load(g), start = load(p);                                                      \
        if (c->penalized) gradient = gradient + (SCALAR)c->penalty * start;                            \
        if (c->shrunk) start = start * (SCALAR)c->decay_factor;                                        \
        TYPE first = (SCALAR)c->beta1 * load(m) + (SCALAR)c->keep1 * gradient;                         \
        TYPE second = (SCALAR)c->beta2 * load(v) + (SCALAR)c->keep2 * (gradient * gradient);           \
        TYPE denominator = SQRT(second) / (SCALAR)c->second_correction_root + (SCALAR)c->epsilon;      \
        store(new_m, first);                                                                           \
        store(new_v, second);                                                                          \
        store(new_p, start - (SCALAR)c->rate * ((first / (SCALAR)c->first_correction) / denominator)); \
    } while (0)

#define LOAD_SCALAR(pointer) (pointer)[i]
#define STORE_SCALAR(pointer, value) ((pointer)[i] = (value))

#define DEFINE_ADAM(NAME, TARGET, SCALAR_TYPE, SCALAR_SQRT, LANES)                                         \
    __attribute__((target(TARGET))) static void NAME(const cuaderno_adam_constants *c, const SCALAR_TYPE *p, \
                                                     const SCALAR_TYPE *g, const SCALAR_TYPE *m,             \
                                                     const SCALAR_TYPE *v, SCALAR_TYPE *new_p,               \
                                                     SCALAR_TYPE *new_m, SCALAR_TYPE *new_v, long count) {   \
        typedef SCALAR_TYPE SCALAR;                                                                        \
        typedef SCALAR_TYPE vector __attribute__((vector_size(LANES * sizeof(SCALAR_TYPE)),                \
                                                  aligned(sizeof(SCALAR_TYPE))));                          \
        long i = 0;                                                                                        \
        for (; i + LANES <= count; i += LANES) {                                                           \
            ADAM_STEP(vector, __builtin_elementwise_sqrt, LOAD_VECTOR, STORE_VECTOR);                      \
        }                                                                                                  \
        for (; i < count; i++) ADAM_STEP(SCALAR, SCALAR_SQRT, LOAD_SCALAR, STORE_SCALAR);                  \
    }
#define LOAD_VECTOR(pointer) (*(const vector *)((pointer) + i))
#define STORE_VECTOR(pointer, value) (*(vector *)((pointer) + i) = (value))

DEFINE_ADAM(adam_f64_avx512, "avx512f", double, sqrt, 8)
DEFINE_ADAM(adam_f32_avx512, "avx512f", float, sqrtf, 16)
DEFINE_ADAM(adam_f64_avx2, "avx2", double, sqrt, 4)
DEFINE_ADAM(adam_f32_avx2, "avx2", float, sqrtf, 8)
DEFINE_ADAM(adam_f64_scalar, "sse2", double, sqrt, 1)
DEFINE_ADAM(adam_f32_scalar, "sse2", float, sqrtf, 1)

void cuaderno_adam_step_f64(const cuaderno_adam_constants *c, const double *p, const double *g, const double *m,
                            const double *v, double *new_p, double *new_m, double *new_v, long count) {
    switch (vector_level()) {
    case LEVEL_AVX512: adam_f64_avx512(c, p, g, m, v, new_p, new_m, new_v, count); return;
    case LEVEL_AVX2: adam_f64_avx2(c, p, g, m, v, new_p, new_m, new_v, count); return;
    default: adam_f64_scalar(c, p, g, m, v, new_p, new_m, new_v, count);
    }
}

void cuaderno_adam_step_f32(const cuaderno_adam_constants *c, const float *p, const float *g, const float *m,
                            const float *v, float *new_p, float *new_m, float *new_v, long count) {
    switch (vector_level()) {
    case LEVEL_AVX512: adam_f32_avx512(c, p, g, m, v, new_p, new_m, new_v, count); return;
    case LEVEL_AVX2: adam_f32_avx2(c, p, g, m, v, new_p, new_m, new_v, count); return;
    default: adam_f32_scalar(c, p, g, m, v, new_p, new_m, new_v, count);
    }
}

void cuaderno_advise_huge_pages(void *start, size_t bytes) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *first = (unsigned char *)(((size_t)start + page - 1) / page * page);
    unsigned char *end = (unsigned char *)(((size_t)start + bytes) / page * page);
    if (end > first) madvise(first, (size_t)(end - first), MADV_HUGEPAGE);
}

// Tensor code allocates and frees arrays of hundreds of kilobytes many times a second (every
// step of a training loop makes the same temporaries again). With glibc's defaults, each such
// array may be a fresh mmap, or the heap is trimmed back to the system after each free, and
// every reuse then pays a page fault per 4 KB — measured at more than half the time of a LoRA
// training step. Keeping arrays up to 256 MB on the heap and not trimming below 256 MB makes
// freed memory reusable at once (the same reason PyTorch keeps a caching allocator). A fresh
// mapping costs more than the work for large results too: adding two vectors of 10⁷ doubles
// into a new 80 MB mapping spent half its time in page faults (the kernel zeroing the pages),
// which a result reusing freed heap memory does not pay.
// Environment settings (MALLOC_MMAP_THRESHOLD_, GLIBC_TUNABLES) still win: they are read first.
__attribute__((constructor)) static void cuaderno_keep_freed_arrays(void) {
    if (getenv("MALLOC_MMAP_THRESHOLD_") || getenv("MALLOC_TRIM_THRESHOLD_") || getenv("GLIBC_TUNABLES")) return;
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}
