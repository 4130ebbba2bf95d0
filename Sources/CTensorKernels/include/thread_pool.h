// A persistent pool of worker threads for work that is split into a few parts many times a second:
// a language model's token makes about 120 matrix products of a few hundred microseconds or less,
// and starting threads (or waking sleeping ones through the kernel, tens of microseconds in a
// virtual machine) for each would cost as much as the work.
#ifndef CUADERNO_THREAD_POOL_H
#define CUADERNO_THREAD_POOL_H

/// One part of a job: `body(context, part, parts)` for part in 0..<parts.
typedef void (*cuaderno_parallel_body)(void *context, long part, long parts);

/// Runs `body` for parts 0…parts − 1, on the calling thread and on up to threads − 1 of the pool's
/// workers (started the first time they are needed), and returns when every part has run. The
/// threads claim parts as they come: with more parts than threads, a worker that wakes late or is
/// off its core on a busy machine leaves its share to the others instead of holding them up.
/// Between jobs a worker spins for a few dozen microseconds, ready for the next one at once, then
/// sleeps until woken. Jobs from several threads run one after another.
void cuaderno_parallel_run(long threads, long parts, cuaderno_parallel_body body, void *context);

#endif
