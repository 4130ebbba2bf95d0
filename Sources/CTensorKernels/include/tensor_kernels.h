// Elementwise kernels the tensor core calls on whole arrays: SIMD versions of exp, sin and cos
// from glibc's vector math library (libmvec), chosen at run time for the CPU (AVX-512, AVX2, or
// the scalar libm functions), and a hint for the kernel to back large buffers with huge pages.
#ifndef CUADERNO_TENSOR_KERNELS_H
#define CUADERNO_TENSOR_KERNELS_H

#include <stddef.h>

/// The vector functions `cuaderno_vector_map_*` computes.
typedef enum {
    CUADERNO_EXP = 0,
    CUADERNO_SIN = 1,
    CUADERNO_COS = 2,
} cuaderno_vector_function;

/// y[i] = f(x[i]) for i < count, in double precision; x and y may be the same array.
void cuaderno_vector_map_f64(cuaderno_vector_function function, const double *x, double *y, long count);

/// y[i] = f(x[i]) for i < count, in single precision; x and y may be the same array.
void cuaderno_vector_map_f32(cuaderno_vector_function function, const float *x, float *y, long count);

/// The instruction set the vector functions use: "avx512", "avx2" or "scalar".
const char *cuaderno_vector_level(void);

/// Asks the kernel to back the whole pages inside [start, start + bytes) with transparent huge
/// pages, before they are first written: one page fault per 2 MiB instead of per 4 KiB. Only
/// worth it for large buffers; a refusal is harmless.
void cuaderno_advise_huge_pages(void *start, size_t bytes);

#endif
