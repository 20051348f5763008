#pragma once
/// @file result.h
/// `Result<T>`: a value or an Error. A small stand-in for std::expected, which libc++ 13 (Emscripten
/// 3.1.6) does not have. Public core functions return Result for expected failures and never throw.

#include <utility>
#include <variant>

#include "flexcore/error.h"

namespace flexcore {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}          // NOLINT(implicit)
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}      // NOLINT(implicit)

  /// A failed result; `message` should name the field and what was expected.
  static Result failure(ErrorCode code, std::string message) {
    return Result(Error{code, std::move(message)});
  }

  bool ok() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The value. Precondition: ok().
  const T& value() const& { return std::get<0>(data_); }
  T& value() & { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }

  /// The error. Precondition: !ok().
  const Error& error() const& { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

/// Result of an operation that has no value on success.
struct Unit {};
using Status = Result<Unit>;

/// A successful Status.
inline Status ok_status() { return Status(Unit{}); }

}  // namespace flexcore
