#include "thread_pool.h"

#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

enum {
    MAX_WORKERS = 63,
    // pause instructions a worker spins through before sleeping (a pause is 10 to 140 cycles
    // depending on the CPU: roughly 0.05 to 0.5 ms in all).
    SPINS_BEFORE_SLEEP = 1 << 12,
};

static pthread_mutex_t one_job_at_a_time = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static long worker_count;

// The current job. Its fields are written before `next_part` is reset (release); a thread reads
// them after claiming a part (acquire), and they change only once every claimed part is finished.
static cuaderno_parallel_body job_body;
static void *job_context;
static long job_parts;
// Parts are claimed, not assigned: whichever thread is running takes the next one. On a busy
// machine, where a worker may be off its core, the caller then does the work itself instead of
// waiting for the worker to be scheduled.
static atomic_long next_part;
static atomic_long unfinished;
// Bumped for each job: what sleeping or spinning workers watch.
static atomic_long generation;

/// Claims and runs parts of the current job until none is left.
static void run_parts(void) {
    for (;;) {
        long part = atomic_fetch_add_explicit(&next_part, 1, memory_order_acq_rel);
        if (part >= job_parts) return;
        job_body(job_context, part, job_parts);
        atomic_fetch_sub_explicit(&unfinished, 1, memory_order_acq_rel);
    }
}

static void *worker_main(void *argument) {
    long seen = (long)argument;
    for (;;) {
        long current;
        int spins = 0;
        while ((current = atomic_load_explicit(&generation, memory_order_acquire)) == seen) {
            if (++spins < SPINS_BEFORE_SLEEP) {
                _mm_pause();
                continue;
            }
            pthread_mutex_lock(&sleep_lock);
            while (atomic_load_explicit(&generation, memory_order_acquire) == seen) pthread_cond_wait(&wake, &sleep_lock);
            pthread_mutex_unlock(&sleep_lock);
        }
        seen = current;
        run_parts();
    }
    return 0;
}

void cuaderno_parallel_run(long threads, long parts, cuaderno_parallel_body body, void *context) {
    if (threads <= 1 || parts <= 1) {
        for (long part = 0; part < parts; part++) body(context, part, parts);
        return;
    }
    pthread_mutex_lock(&one_job_at_a_time);
    while (worker_count < threads - 1 && worker_count < MAX_WORKERS) {
        pthread_t thread;
        // The worker waits for the generation after this one. (Reading `generation` itself once
        // started could see the bump of the job it was started for, and miss that job.)
        long start = atomic_load_explicit(&generation, memory_order_relaxed);
        if (pthread_create(&thread, 0, worker_main, (void *)start) != 0) break;  // the caller does more
        pthread_detach(thread);
        worker_count++;
    }
    job_body = body;
    job_context = context;
    job_parts = parts;
    atomic_store_explicit(&unfinished, parts, memory_order_relaxed);
    atomic_store_explicit(&next_part, 0, memory_order_release);
    pthread_mutex_lock(&sleep_lock);
    atomic_fetch_add_explicit(&generation, 1, memory_order_release);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&sleep_lock);

    run_parts();
    // Only parts a worker has claimed and not finished are left to wait for.
    int spins = 0;
    while (atomic_load_explicit(&unfinished, memory_order_acquire) > 0) {
        if (++spins < SPINS_BEFORE_SLEEP) _mm_pause(); else sched_yield();
    }
    pthread_mutex_unlock(&one_job_at_a_time);
}
