#include "core/deferred_hand_offs.h"

#include <algorithm>

namespace mpay {
namespace {

thread_local DeferredHandOffs* current_scope = nullptr;

}  // namespace

DeferredHandOffs::DeferredHandOffs() {
  if (current_scope != nullptr) return;
  current_scope = this;
  active_ = true;
}

DeferredHandOffs::~DeferredHandOffs() {
  if (!active_) return;
  // A flush may defer again (it runs while the scope is still current): such work lands in a
  // flush registered later, which this loop reaches too.
  for (size_t i = 0; i < flushes_.size(); ++i) {
    std::function<void()> run = std::move(flushes_[i].run);
    flushes_[i].key = nullptr;
    run();
  }
  current_scope = nullptr;
}

bool DeferredHandOffs::defer(const void* key, const std::function<void()>& flush) {
  DeferredHandOffs* scope = current_scope;
  if (scope == nullptr) return false;
  bool registered = std::any_of(scope->flushes_.begin(), scope->flushes_.end(),
                                [key](const Flush& entry) { return entry.key == key; });
  if (!registered) scope->flushes_.push_back(Flush{key, flush});
  return true;
}

}  // namespace mpay
