// Internal to SandboxBank (sandbox, not a bank): its append-only file of records
// (sandbox_bank_record_internal.h), so that linked accounts and order results survive a restart
// of the process.
//
// open() reads every record. A last line without its '\n' is a torn append (the process died
// while writing it; the record was never acknowledged): it is cut off the file. Any other bad line
// makes open() fail with sandbox_bank_file_corrupt (the message names the line). append() writes
// whole lines and fdatasyncs before returning; an error there leaves the file in an unknown state,
// so the caller must stop (fail-stop). One thread at a time; the caller serialises.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "payments/bank/sandbox_bank_record_internal.h"

namespace mpay::bank {

class SandboxBankFile {
 public:
  // Opens or creates `path` (its directory must exist) and appends its records to *records.
  // Errors: sandbox_bank_file_io (open, read, truncate), sandbox_bank_file_corrupt.
  static Result<std::unique_ptr<SandboxBankFile>> open(const std::string& path,
                                                       std::vector<SandboxRecord>* records);
  explicit SandboxBankFile(int descriptor) : descriptor_(descriptor) {}  // takes ownership
  ~SandboxBankFile();
  SandboxBankFile(const SandboxBankFile&) = delete;
  SandboxBankFile& operator=(const SandboxBankFile&) = delete;

  // Writes `lines` (complete lines) at the end of the file and makes them durable.
  // Errors: sandbox_bank_file_io.
  Status append(std::string_view lines);

 private:
  int descriptor_;
};

}  // namespace mpay::bank
