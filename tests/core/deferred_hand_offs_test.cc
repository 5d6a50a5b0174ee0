#include "core/deferred_hand_offs.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace mpay {
namespace {

// A component as the HTTP answers and the SMS outbox use it: work kept while a scope defers it,
// handed off at once otherwise.
struct Component {
  std::vector<std::string> pending;
  std::vector<std::vector<std::string>> hand_offs;  // each one hand-off, with what it carried
  std::vector<std::string>* log = nullptr;
  std::string name;

  void send(const std::string& item) {
    pending.push_back(item);
    if (!DeferredHandOffs::defer(this, [this] { flush(); })) flush();
  }
  void flush() {
    if (log) log->push_back(name);
    hand_offs.push_back(pending);
    pending.clear();
  }
};

TEST(DeferredHandOffs, WithoutAScopeEachHandOffIsMadeAtOnce) {
  Component component;
  component.send("a");
  component.send("b");
  ASSERT_EQ(component.hand_offs.size(), 2u);
  EXPECT_EQ(component.hand_offs[0], std::vector<std::string>{"a"});
}

TEST(DeferredHandOffs, AScopeMakesEachComponentsHandOffOnceAtItsEndInRegistrationOrder) {
  std::vector<std::string> order;
  Component sms{{}, {}, &order, "sms"};
  Component answers{{}, {}, &order, "answers"};
  {
    DeferredHandOffs scope;
    sms.send("text 1");
    answers.send("answer 1");
    sms.send("text 2");
    answers.send("answer 2");
    EXPECT_TRUE(sms.hand_offs.empty());
    EXPECT_TRUE(answers.hand_offs.empty());
  }
  ASSERT_EQ(sms.hand_offs.size(), 1u);
  EXPECT_EQ(sms.hand_offs[0], (std::vector<std::string>{"text 1", "text 2"}));
  ASSERT_EQ(answers.hand_offs.size(), 1u);
  EXPECT_EQ(answers.hand_offs[0], (std::vector<std::string>{"answer 1", "answer 2"}));
  EXPECT_EQ(order, (std::vector<std::string>{"sms", "answers"}));
  // The scope is gone: back to at once.
  sms.send("text 3");
  EXPECT_EQ(sms.hand_offs.size(), 2u);
}

TEST(DeferredHandOffs, AnInnerScopeIsInertAndTheOuterOneFlushes) {
  Component component;
  {
    DeferredHandOffs outer;
    {
      DeferredHandOffs inner;
      component.send("a");
    }
    EXPECT_TRUE(component.hand_offs.empty());
    component.send("b");
  }
  ASSERT_EQ(component.hand_offs.size(), 1u);
  EXPECT_EQ(component.hand_offs[0], (std::vector<std::string>{"a", "b"}));
}

TEST(DeferredHandOffs, AScopeDefersOnlyOnItsOwnThread) {
  Component component;
  DeferredHandOffs scope;
  std::thread other([&] { component.send("elsewhere"); });
  other.join();
  EXPECT_EQ(component.hand_offs.size(), 1u);
}

TEST(DeferredHandOffs, WorkDeferredByAFlushIsFlushedBeforeTheScopeEnds) {
  Component forwarded_to;
  int forwarder = 0;  // a key
  {
    DeferredHandOffs scope;
    // This flush hands work to a component that defers it again, behind itself.
    DeferredHandOffs::defer(&forwarder, [&forwarded_to] { forwarded_to.send("forwarded"); });
  }
  ASSERT_EQ(forwarded_to.hand_offs.size(), 1u);
  EXPECT_EQ(forwarded_to.hand_offs[0], std::vector<std::string>{"forwarded"});
}

}  // namespace
}  // namespace mpay
