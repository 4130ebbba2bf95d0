// Matrix products straight from ggml's quantised blocks (Q4_1, Q8_0), for running a language
// model whose weights stay as the GGUF file stores them: a token's generation reads every weight
// once, so reading 4.5 or 8.5 bits per weight instead of 32 is most of the speed.
//
// Two kinds of product, each over a range of weight rows and a batch of tokens:
// - `_q8`: the activations are first quantised to int8 in blocks of 32 (a float scale per block,
//   as ggml's Q8_1), and each block's dot product is an integer one — llama.cpp's arithmetic;
// - `_f32`: the weights are dequantised row by row to float32 and dotted with float32
//   activations — the arithmetic of the model as written, for teaching and reference.
#ifndef CUADERNO_QUANTIZED_KERNELS_H
#define CUADERNO_QUANTIZED_KERNELS_H

#include <stdint.h>

/// The block formats of weight rows, numbered as ggml numbers them (`ggml_type`).
typedef enum {
    /// 20 bytes per 32 weights: float16 d, float16 m, 16 bytes of 4-bit q (byte j holds q[j] in
    /// its low and q[j + 16] in its high four bits); w[j] = d·q[j] + m.
    CUADERNO_BLOCK_Q4_1 = 3,
    /// 34 bytes per 32 weights: float16 d, 32 signed bytes q; w[j] = d·q[j].
    CUADERNO_BLOCK_Q8_0 = 8,
} cuaderno_block_format;

/// The instruction sets the kernels are written for, best last.
typedef enum {
    CUADERNO_KERNELS_SCALAR = 0,
    /// AVX2 with FMA and F16C: 8-bit products summed in pairs (vpmaddubsw, vpmaddwd).
    CUADERNO_KERNELS_AVX2 = 1,
    /// AVX-512 VNNI on 256-bit vectors: 8-bit products summed in fours (vpdpbusd).
    CUADERNO_KERNELS_AVX512_VNNI = 2,
} cuaderno_kernel_level;

/// The best level this CPU runs.
cuaderno_kernel_level cuaderno_quantized_best_level(void);

/// 32 activations quantised: x[j] ≈ scale·q[j], with q = round(x / scale) and scale = max|x| / 127;
/// `sum` is scale·Σq[j], what the minimum of a Q4_1 block multiplies.
typedef struct {
    float scale;
    float sum;
    int8_t q[32];
} cuaderno_q8_block;

/// Quantises `count` floats (a multiple of 32) into count / 32 blocks.
void cuaderno_quantize_q8(const float *x, cuaderno_q8_block *blocks, long count);

/// The number of bytes one row of `columns` weights (a multiple of 32) takes in `format`.
long cuaderno_row_bytes(cuaderno_block_format format, long columns);

/// Dequantises `rows` consecutive rows of `columns` weights into floats, row-major; each weight is
/// d·q (Q8_0) or d·q + m (Q4_1) rounded once per operation in float32, as ggml and the `gguf`
/// Python package compute it.
void cuaderno_dequantize_rows(cuaderno_block_format format, const void *rows, long row_count, long columns, float *out);

/// y[t·y_stride + r] = Σ_j W[r][j]·x_t[j] for rows r in [row_begin, row_end) and tokens t < tokens,
/// with the activations x_t quantised: `x` holds tokens × columns/32 blocks. Each block's dot
/// product is exact in int32; the blocks are summed in float32.
void cuaderno_quantized_matmul_q8(cuaderno_kernel_level level, cuaderno_block_format format,
                                  const void *weights, long columns, long row_begin, long row_end,
                                  const cuaderno_q8_block *x, long tokens, float *y, long y_stride);

/// The same with float32 activations, `x` holding tokens × columns floats: each row is dequantised
/// into `scratch` (room for `columns` floats) once and dotted with every token.
void cuaderno_quantized_matmul_f32(cuaderno_kernel_level level, cuaderno_block_format format,
                                   const void *weights, long columns, long row_begin, long row_end,
                                   const float *x, long tokens, float *y, long y_stride, float *scratch);

#endif
