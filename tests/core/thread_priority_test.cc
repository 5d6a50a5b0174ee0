#include "core/thread_priority.h"

#include <gtest/gtest.h>

#include <thread>

namespace mpay {
namespace {

// Each case runs in a thread of its own: a thread cannot raise its priority again without
// privilege, and the test runner's thread must keep its own.
template <typename Body>
void in_new_thread(Body body) {
  std::thread thread(body);
  thread.join();
}

TEST(ThreadPriorityTest, LowersOnlyTheCallingThread) {
  int runner_before = current_thread_nice();
  in_new_thread([] {
    EXPECT_TRUE(set_current_thread_nice(10));
    EXPECT_EQ(current_thread_nice(), 10);
  });
  EXPECT_EQ(current_thread_nice(), runner_before);
}

TEST(ThreadPriorityTest, TheLowestPriorityIsAccepted) {
  in_new_thread([] {
    EXPECT_TRUE(set_current_thread_nice(kNiceMax));
    EXPECT_EQ(current_thread_nice(), kNiceMax);
  });
}

TEST(ThreadPriorityTest, OutOfRangeValuesAreRefusedAndChangeNothing) {
  in_new_thread([] {
    int before = current_thread_nice();
    EXPECT_FALSE(set_current_thread_nice(-1));
    EXPECT_FALSE(set_current_thread_nice(kNiceMax + 1));
    EXPECT_EQ(current_thread_nice(), before);
  });
}

}  // namespace
}  // namespace mpay
