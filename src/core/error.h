// Errors as values: the result type every module returns across its boundary.
//
// An Error carries a stable snake_case code (what clients and tests match on), a human message, and
// optionally the name of the input field at fault. Result<T> holds either a T or an Error; Status is
// Result<void>. Exceptions never cross a module boundary: code that calls a throwing library catches at
// its edge and returns an Error. Thread-safe as values (no shared state).
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "core/check.h"

namespace mpay {

struct Error {
  std::string code;     // stable, snake_case, e.g. "amount_overflow"
  std::string message;  // for humans; never contains secrets
  std::string field;    // the input field at fault, or empty

  Error() = default;
  Error(std::string code_in, std::string message_in, std::string field_in = {})
      : code(std::move(code_in)), message(std::move(message_in)), field(std::move(field_in)) {}
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    MPAY_CHECK(ok(), "Result::value() on an error");
    return std::get<T>(state_);
  }
  T& value() & {
    MPAY_CHECK(ok(), "Result::value() on an error");
    return std::get<T>(state_);
  }
  T&& value() && {
    MPAY_CHECK(ok(), "Result::value() on an error");
    return std::get<T>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const {
    MPAY_CHECK(!ok(), "Result::error() on a value");
    return std::get<Error>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    MPAY_CHECK(failed_, "Status::error() on success");
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

inline Status ok_status() { return Status(); }

}  // namespace mpay
