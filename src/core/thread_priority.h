// Background threads yield the CPU to the payment path: work nobody is waiting for (webhook
// deliveries, their outbox) runs at a lower priority (a higher nice value) than the threads that
// answer users and merchants, so on a busy machine it takes the time they leave and catches up
// later, instead of lengthening every payment. Linux keeps a nice value per thread; raising one's
// own needs no privilege (lowering it again does).
#pragma once

namespace mpay {

inline constexpr int kNiceMax = 19;

// Sets the calling thread's nice value (0 = normal .. kNiceMax = lowest). False when the value is
// out of range or the system refused it (the thread keeps its priority).
bool set_current_thread_nice(int nice);

// The calling thread's nice value.
int current_thread_nice();

}  // namespace mpay
