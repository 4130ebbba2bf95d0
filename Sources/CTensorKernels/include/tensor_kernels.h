// Elementwise kernels the tensor core calls on whole arrays: SIMD versions of exp, sin and cos
// (and GELU's derivative, from erf and exp) from glibc's vector math library (libmvec) and of Adam's update, chosen at run time for the CPU
// (AVX-512, AVX2, or scalar code), and a hint for the kernel to back large buffers with huge pages.
#ifndef CUADERNO_TENSOR_KERNELS_H
#define CUADERNO_TENSOR_KERNELS_H

#include <stddef.h>

/// The vector functions `cuaderno_vector_map_*` computes.
typedef enum {
    CUADERNO_EXP = 0,
    CUADERNO_SIN = 1,
    CUADERNO_COS = 2,
    /// GELU's derivative, Φ(x) + x·φ(x).
    CUADERNO_GELU_DERIVATIVE = 3,
} cuaderno_vector_function;

/// y[i] = f(x[i]) for i < count, in double precision; x and y may be the same array.
void cuaderno_vector_map_f64(cuaderno_vector_function function, const double *x, double *y, long count);

/// y[i] = f(x[i]) for i < count, in single precision; x and y may be the same array.
void cuaderno_vector_map_f32(cuaderno_vector_function function, const float *x, float *y, long count);

/// The instruction set the vector functions use: "avx512", "avx2" or "scalar".
const char *cuaderno_vector_level(void);

/// The numbers of one Adam step (TensorCore's AdamStep.swift has the formulas), as doubles; the
/// float32 kernel rounds each to float first.
typedef struct {
    double beta1, keep1, beta2, keep2;
    double first_correction, second_correction_root, epsilon, rate;
    /// Adam's L2 decay, g + penalty·p, when `penalized`; AdamW's p·decay_factor when `shrunk`.
    double penalty, decay_factor;
    int penalized, shrunk;
} cuaderno_adam_constants;

/// One Adam step for `count` elements: new_m, new_v and new_p from p, g, m and v. Every
/// operation is rounded as AdamStep.swift's formulas round it (no fused multiply-adds), so the
/// results are the same bits whichever instruction set runs.
void cuaderno_adam_step_f64(const cuaderno_adam_constants *constants, const double *p, const double *g,
                            const double *m, const double *v, double *new_p, double *new_m, double *new_v, long count);

/// The same in single precision.
void cuaderno_adam_step_f32(const cuaderno_adam_constants *constants, const float *p, const float *g,
                            const float *m, const float *v, float *new_p, float *new_m, float *new_v, long count);

/// Asks the kernel to back the whole pages inside [start, start + bytes) with transparent huge
/// pages, before they are first written: one page fault per 2 MiB instead of per 4 KiB. Only
/// worth it for large buffers; a refusal is harmless.
void cuaderno_advise_huge_pages(void *start, size_t bytes);

#endif
