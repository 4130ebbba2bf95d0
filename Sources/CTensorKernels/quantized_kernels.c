#include "quantized_kernels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

// Dequantisation rounds d·q and then + m, each in float32, as ggml and NumPy do: no fused
// multiply-adds, so a dequantised weight is the exact number the `gguf` package gives.
#pragma STDC FP_CONTRACT OFF

cuaderno_kernel_level cuaderno_quantized_best_level(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
        if (avx2 && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl")) {
            cached = CUADERNO_KERNELS_AVX512_VNNI;
        } else if (avx2) {
            cached = CUADERNO_KERNELS_AVX2;
        } else {
            cached = CUADERNO_KERNELS_SCALAR;
        }
    }
    return (cuaderno_kernel_level)cached;
}

long cuaderno_row_bytes(cuaderno_block_format format, long columns) {
    return columns / 32 * (format == CUADERNO_BLOCK_Q4_1 ? 20 : 34);
}

static uint16_t load_u16(const uint8_t *p) {
    uint16_t value;
    memcpy(&value, p, sizeof value);
    return value;
}

/// IEEE half → float, every case (zero, subnormal, normal, infinity, NaN) exact.
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
    if (exponent == 0) {
        float magnitude = ldexpf((float)mantissa, -24);
        return sign ? -magnitude : magnitude;
    }
    uint32_t bits = exponent == 31 ? sign | 0x7F800000u | (mantissa << 13)
                                   : sign | ((exponent + 112) << 23) | (mantissa << 13);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

// MARK: Activations

void cuaderno_quantize_q8(const float *x, cuaderno_q8_block *blocks, long count) {
    for (long b = 0; b < count / 32; b++, x += 32) {
        float largest = 0;
        for (int j = 0; j < 32; j++) largest = fmaxf(largest, fabsf(x[j]));
        float scale = largest / 127.0f;
        float inverse = scale != 0 ? 1.0f / scale : 0.0f;
        int total = 0;
        for (int j = 0; j < 32; j++) {
            int q = (int)roundf(x[j] * inverse);
            blocks[b].q[j] = (int8_t)q;
            total += q;
        }
        blocks[b].scale = scale;
        blocks[b].sum = scale * (float)total;
    }
}

// MARK: Dequantisation

static void dequantize_row(cuaderno_block_format format, const uint8_t *row, long columns, float *out) {
    for (long b = 0; b < columns / 32; b++, out += 32) {
        if (format == CUADERNO_BLOCK_Q4_1) {
            float d = half_to_float(load_u16(row)), m = half_to_float(load_u16(row + 2));
            for (int j = 0; j < 16; j++) {
                float low = d * (float)(row[4 + j] & 0x0F), high = d * (float)(row[4 + j] >> 4);
                out[j] = low + m;
                out[j + 16] = high + m;
            }
            row += 20;
        } else {
            float d = half_to_float(load_u16(row));
            for (int j = 0; j < 32; j++) out[j] = d * (float)(int8_t)row[2 + j];
            row += 34;
        }
    }
}

void cuaderno_dequantize_rows(cuaderno_block_format format, const void *rows, long row_count, long columns, float *out) {
    long row_bytes = cuaderno_row_bytes(format, columns);
    for (long r = 0; r < row_count; r++) {
        dequantize_row(format, (const uint8_t *)rows + r * row_bytes, columns, out + r * columns);
    }
}

// MARK: Scalar dot products

static float dot_q4_1_scalar(const uint8_t *row, const cuaderno_q8_block *x, long blocks) {
    float total = 0;
    for (long b = 0; b < blocks; b++, row += 20, x++) {
        int products = 0;
        for (int j = 0; j < 16; j++) {
            products += (row[4 + j] & 0x0F) * x->q[j] + (row[4 + j] >> 4) * x->q[j + 16];
        }
        float d = half_to_float(load_u16(row)), m = half_to_float(load_u16(row + 2));
        // Σ (d·q + m)·(s·a) = d·s·Σ q·a + m·(s·Σ a)
        total += d * x->scale * (float)products + m * x->sum;
    }
    return total;
}

static float dot_q8_0_scalar(const uint8_t *row, const cuaderno_q8_block *x, long blocks) {
    float total = 0;
    for (long b = 0; b < blocks; b++, row += 34, x++) {
        int products = 0;
        for (int j = 0; j < 32; j++) products += (int8_t)row[2 + j] * x->q[j];
        total += half_to_float(load_u16(row)) * x->scale * (float)products;
    }
    return total;
}

static float dot_f32_scalar(const float *a, const float *b, long count) {
    float total = 0;
    for (long j = 0; j < count; j++) total += a[j] * b[j];
    return total;
}

// MARK: Vector dot products
//
// One block is 32 weights against 32 int8 activations. Q4_1's nibbles are unsigned (0…15), the
// activations signed: vpmaddubsw multiplies unsigned by signed bytes and adds pairs into int16
// (at most 2·15·127, no saturation), vpmaddwd adds pairs of those into int32. Q8_0's weights are
// signed too, so the sign moves onto the activation: |w|·(a·sign w) = w·a, with |−128| read as the
// unsigned 128 (at most 2·128·127 = 32512 < 32767). VNNI's vpdpbusd does both steps at once.
// The eight int32 sums become floats scaled by d·s and accumulate in a float vector.

// Streaming a matrix from memory, the hardware prefetchers alone let the four-row kernel read
// 7 GB/s where a plain sum reads 21 (18–22 GB/s with the prefetches; 16 groups ahead did best of
// 1–32 on the project's machine): each group of four rows asks for the group PREFETCH_GROUPS
// ahead, spread over its blocks (4 rows × 20 or 34 bytes a block). A prefetch past the end of the
// matrix is harmless: prefetches never fault.
#ifndef PREFETCH_GROUPS
#define PREFETCH_GROUPS 16
#endif

#define DEFINE_DOTS(SUFFIX, TARGET, PRODUCTS)                                                           \
    __attribute__((target(TARGET))) static inline float hsum_##SUFFIX(__m256 v) {                       \
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));               \
        half = _mm_add_ps(half, _mm_movehl_ps(half, half));                                             \
        half = _mm_add_ss(half, _mm_movehdup_ps(half));                                                 \
        return _mm_cvtss_f32(half);                                                                     \
    }                                                                                                   \
    __attribute__((target(TARGET))) static float dot_q4_1_##SUFFIX(const uint8_t *row,                  \
                                                                   const cuaderno_q8_block *x, long blocks) { \
        const __m256i nibble = _mm256_set1_epi8(0x0F);                                                  \
        __m256 sums = _mm256_setzero_ps();                                                              \
        float minimums = 0;                                                                             \
        for (long b = 0; b < blocks; b++, row += 20, x++) {                                             \
            __m128i packed = _mm_loadu_si128((const __m128i *)(row + 4));                               \
            __m256i w = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), nibble);  \
            __m256i a = _mm256_loadu_si256((const __m256i *)x->q);                                      \
            __m256i products = PRODUCTS(w, a);                                                          \
            float d = _cvtsh_ss(load_u16(row)), m = _cvtsh_ss(load_u16(row + 2));                       \
            sums = _mm256_fmadd_ps(_mm256_set1_ps(d * x->scale), _mm256_cvtepi32_ps(products), sums);   \
            minimums += m * x->sum;                                                                     \
        }                                                                                               \
        return hsum_##SUFFIX(sums) + minimums;                                                          \
    }                                                                                                   \
    __attribute__((target(TARGET))) static float dot_q8_0_##SUFFIX(const uint8_t *row,                  \
                                                                   const cuaderno_q8_block *x, long blocks) { \
        __m256 sums = _mm256_setzero_ps();                                                              \
        for (long b = 0; b < blocks; b++, row += 34, x++) {                                             \
            __m256i w = _mm256_loadu_si256((const __m256i *)(row + 2));                                 \
            __m256i a = _mm256_loadu_si256((const __m256i *)x->q);                                      \
            __m256i products = PRODUCTS(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w));                \
            float d = _cvtsh_ss(load_u16(row));                                                         \
            sums = _mm256_fmadd_ps(_mm256_set1_ps(d * x->scale), _mm256_cvtepi32_ps(products), sums);   \
        }                                                                                               \
        return hsum_##SUFFIX(sums);                                                                     \
    }                                                                                                   \
    /* Four rows against one token: four independent accumulator chains, one load of each          \
       activation block. (One row's chain waits on its fused multiply-add every block.) */          \
    __attribute__((target(TARGET))) static void dot4_q4_1_##SUFFIX(const uint8_t *row, long row_bytes,    \
                                                                   const cuaderno_q8_block *x, long blocks, \
                                                                   float *out, long out_stride) {   \
        const __m256i nibble = _mm256_set1_epi8(0x0F);                                                  \
        __m256 sums[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()}; \
        /* Lane 1 sums m·(s·Σa); d and m are converted together, and lane 0 is not used. */            \
        __m128 minimums[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};  \
        const uint8_t *ahead = row + PREFETCH_GROUPS * 4 * row_bytes;                                   \
        for (long b = 0; b < blocks; b++, x++) {                                                        \
            _mm_prefetch((const char *)(ahead + b * 80), _MM_HINT_T0);                                  \
            _mm_prefetch((const char *)(ahead + b * 80 + 64), _MM_HINT_T0);                             \
            __m256i a = _mm256_loadu_si256((const __m256i *)x->q);                                      \
            __m128 scale_sum = _mm_setr_ps(x->scale, x->sum, 0, 0);                                     \
            for (int r = 0; r < 4; r++) {                                                               \
                const uint8_t *block = row + r * row_bytes + b * 20;                                    \
                __m128i packed = _mm_loadu_si128((const __m128i *)(block + 4));                         \
                __m256i w = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), nibble); \
                uint32_t halves;                                                                        \
                memcpy(&halves, block, sizeof halves);                                                  \
                __m128 dm = _mm_mul_ps(_mm_cvtph_ps(_mm_cvtsi32_si128((int)halves)), scale_sum);         \
                sums[r] = _mm256_fmadd_ps(_mm256_broadcastss_ps(dm), _mm256_cvtepi32_ps(PRODUCTS(w, a)), sums[r]); \
                minimums[r] = _mm_add_ps(minimums[r], dm);                                              \
            }                                                                                           \
        }                                                                                               \
        for (int r = 0; r < 4; r++) {                                                                   \
            out[r * out_stride] = hsum_##SUFFIX(sums[r]) + _mm_cvtss_f32(_mm_shuffle_ps(minimums[r], minimums[r], 1)); \
        }                                                                                               \
    }                                                                                                   \
    __attribute__((target(TARGET))) static void dot4_q8_0_##SUFFIX(const uint8_t *row, long row_bytes,    \
                                                                   const cuaderno_q8_block *x, long blocks, \
                                                                   float *out, long out_stride) {   \
        __m256 sums[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()}; \
        const uint8_t *ahead = row + PREFETCH_GROUPS * 4 * row_bytes;                                   \
        for (long b = 0; b < blocks; b++, x++) {                                                        \
            _mm_prefetch((const char *)(ahead + b * 136), _MM_HINT_T0);                                 \
            _mm_prefetch((const char *)(ahead + b * 136 + 64), _MM_HINT_T0);                            \
            _mm_prefetch((const char *)(ahead + b * 136 + 128), _MM_HINT_T0);                           \
            __m256i a = _mm256_loadu_si256((const __m256i *)x->q);                                      \
            for (int r = 0; r < 4; r++) {                                                               \
                const uint8_t *block = row + r * row_bytes + b * 34;                                    \
                __m256i w = _mm256_loadu_si256((const __m256i *)(block + 2));                           \
                __m256i products = PRODUCTS(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w));            \
                float d = _cvtsh_ss(load_u16(block));                                                   \
                sums[r] = _mm256_fmadd_ps(_mm256_set1_ps(d * x->scale), _mm256_cvtepi32_ps(products), sums[r]); \
            }                                                                                           \
        }                                                                                               \
        for (int r = 0; r < 4; r++) out[r * out_stride] = hsum_##SUFFIX(sums[r]);                       \
    }                                                                                                   \
    __attribute__((target(TARGET))) static float dot_f32_##SUFFIX(const float *a, const float *b, long count) { \
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;                                     \
        long j = 0;                                                                                     \
        for (; j + 32 <= count; j += 32) {                                                              \
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j), _mm256_loadu_ps(b + j), s0);                   \
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 8), _mm256_loadu_ps(b + j + 8), s1);           \
            s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 16), _mm256_loadu_ps(b + j + 16), s2);         \
            s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + j + 24), _mm256_loadu_ps(b + j + 24), s3);         \
        }                                                                                               \
        float total = hsum_##SUFFIX(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));       \
        for (; j < count; j++) total += a[j] * b[j];                                                    \
        return total;                                                                                   \
    }

__attribute__((target("avx2,fma,f16c"))) static inline __m256i products_avx2(__m256i w, __m256i a) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(w, a), _mm256_set1_epi16(1));
}

__attribute__((target("avx2,fma,f16c,avx512vnni,avx512vl"))) static inline __m256i products_vnni(__m256i w, __m256i a) {
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), w, a);
}

DEFINE_DOTS(avx2, "avx2,fma,f16c", products_avx2)
DEFINE_DOTS(vnni, "avx2,fma,f16c,avx512vnni,avx512vl", products_vnni)

// MARK: Matrix products

typedef float (*quantized_dot)(const uint8_t *, const cuaderno_q8_block *, long);
typedef void (*quantized_dot4)(const uint8_t *, long, const cuaderno_q8_block *, long, float *, long);
typedef float (*float_dot)(const float *, const float *, long);

/// Four rows the plain way, one after another, for the scalar level.
#define DEFINE_DOT4_SCALAR(NAME, DOT)                                                                  \
    static void NAME(const uint8_t *row, long row_bytes, const cuaderno_q8_block *x, long blocks,     \
                     float *out, long out_stride) {                                                    \
        for (int r = 0; r < 4; r++) out[r * out_stride] = DOT(row + r * row_bytes, x, blocks);         \
    }

DEFINE_DOT4_SCALAR(dot4_q4_1_scalar, dot_q4_1_scalar)
DEFINE_DOT4_SCALAR(dot4_q8_0_scalar, dot_q8_0_scalar)

static quantized_dot quantized_dot_for(cuaderno_kernel_level level, cuaderno_block_format format) {
    int q4 = format == CUADERNO_BLOCK_Q4_1;
    switch (level) {
    case CUADERNO_KERNELS_AVX512_VNNI: return q4 ? dot_q4_1_vnni : dot_q8_0_vnni;
    case CUADERNO_KERNELS_AVX2: return q4 ? dot_q4_1_avx2 : dot_q8_0_avx2;
    default: return q4 ? dot_q4_1_scalar : dot_q8_0_scalar;
    }
}

static quantized_dot4 quantized_dot4_for(cuaderno_kernel_level level, cuaderno_block_format format) {
    int q4 = format == CUADERNO_BLOCK_Q4_1;
    switch (level) {
    case CUADERNO_KERNELS_AVX512_VNNI: return q4 ? dot4_q4_1_vnni : dot4_q8_0_vnni;
    case CUADERNO_KERNELS_AVX2: return q4 ? dot4_q4_1_avx2 : dot4_q8_0_avx2;
    default: return q4 ? dot4_q4_1_scalar : dot4_q8_0_scalar;
    }
}

static float_dot float_dot_for(cuaderno_kernel_level level) {
    switch (level) {
    case CUADERNO_KERNELS_AVX512_VNNI: return dot_f32_vnni;
    case CUADERNO_KERNELS_AVX2: return dot_f32_avx2;
    default: return dot_f32_scalar;
    }
}

void cuaderno_quantized_matmul_q8(cuaderno_kernel_level level, cuaderno_block_format format,
                                  const void *weights, long columns, long row_begin, long row_end,
                                  const cuaderno_q8_block *x, long tokens, float *y, long y_stride) {
    quantized_dot dot = quantized_dot_for(level, format);
    quantized_dot4 dot4 = quantized_dot4_for(level, format);
    long blocks = columns / 32, row_bytes = cuaderno_row_bytes(format, columns);
    const uint8_t *rows = (const uint8_t *)weights;
    long r = row_begin;
    // Four rows at a time; they stay in the L1 cache while every token's activations pass by.
    // A row's result is the same whichever group it falls in: both paths sum its blocks in order.
    for (; r + 4 <= row_end; r += 4) {
        for (long t = 0; t < tokens; t++) dot4(rows + r * row_bytes, row_bytes, x + t * blocks, blocks, y + t * y_stride + r, 1);
    }
    for (; r < row_end; r++) {
        for (long t = 0; t < tokens; t++) y[t * y_stride + r] = dot(rows + r * row_bytes, x + t * blocks, blocks);
    }
}

void cuaderno_quantized_matmul_f32(cuaderno_kernel_level level, cuaderno_block_format format,
                                   const void *weights, long columns, long row_begin, long row_end,
                                   const float *x, long tokens, float *y, long y_stride, float *scratch) {
    float_dot dot = float_dot_for(level);
    long row_bytes = cuaderno_row_bytes(format, columns);
    const uint8_t *row = (const uint8_t *)weights + row_begin * row_bytes;
    for (long r = row_begin; r < row_end; r++, row += row_bytes) {
        dequantize_row(format, row, columns, scratch);
        for (long t = 0; t < tokens; t++) y[t * y_stride + r] = dot(scratch, x + t * columns, columns);
    }
}
