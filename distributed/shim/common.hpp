// What the c10d shim's translation units share: the group handle, error reporting and the
// rendezvous. Everything is inline: each .cpp includes it once.
#pragma once

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace tt {


struct Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> backend;
  std::chrono::milliseconds timeout;
};

inline void write_error(char *error, int error_len, const std::string &message) {
  if (error == nullptr || error_len <= 0) return;
  size_t n = std::min(message.size(), static_cast<size_t>(error_len - 1));
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

// Runs `body`, turning any exception into an error message. c10 errors carry a C++ backtrace in
// `what()`; users need the sentence, not libtorch's stack.
template <typename F>
inline int guarded(char *error, int error_len, F body) {
  try {
    body();
    return 0;
  } catch (const c10::Error &e) {
    write_error(error, error_len, e.what_without_backtrace());
  } catch (const std::exception &e) {
    write_error(error, error_len, e.what());
  } catch (...) {
    write_error(error, error_len, "unknown C++ exception in c10d");
  }
  return 1;
}

inline std::chrono::milliseconds ms(int64_t timeout_ms) { return std::chrono::milliseconds(timeout_ms); }

// Every rank publishes the world size it was given; each compares with rank 0's, and rank 0 with
// everyone's. Without this, ranks that disagree wait in Gloo's connection retries for several
// timeouts and then report a connect timeout that names neither number.
inline void check_world_size(c10d::Store &store, int rank, int size) {
  auto key = [](int r) { return "typed-torch/world-size/" + std::to_string(r); };
  auto text = std::to_string(size);
  store.set(key(rank), std::vector<uint8_t>(text.begin(), text.end()));
  auto read = [&](int r) {
    auto v = store.get(key(r));
    return std::string(v.begin(), v.end());
  };
  auto mismatch = [&](int other, const std::string &theirs) {
    return std::runtime_error("rank " + std::to_string(other) + " was started with a world size of " +
                              theirs + ", this rank (" + std::to_string(rank) + ") with " + text +
                              "; every rank must be given the same WORLD_SIZE");
  };
  // Rank 0 serves the store: if it failed and left before a rank had read its size, that rank
  // would see "connection reset" instead of the mismatch. So every rank acknowledges its read.
  auto ack = [](int r) { return "typed-torch/world-size-read/" + std::to_string(r); };
  if (rank != 0) {
    auto root = read(0);
    store.set(ack(rank), std::vector<uint8_t>{1});
    if (root != text) throw mismatch(0, root);
    return;
  }
  for (int r = 1; r < size; ++r) {
    auto theirs = read(r);
    if (theirs != text) {
      std::vector<std::string> acks;
      for (int q = 1; q < size; ++q) acks.push_back(ack(q));
      try {
        store.wait(acks);
      } catch (...) {
        // A rank that never reads gets the store's own timeout; the mismatch is still the error.
      }
      throw mismatch(r, theirs);
    }
  }
}

// The rendezvous store: rank 0 serves it at `host:port` and waits for every rank to connect;
// then the ranks compare world sizes through it.
inline c10::intrusive_ptr<c10d::Store> rendezvous(const char *host, uint16_t port, int rank,
                                                  int size, int64_t timeout_ms) {
  c10d::TCPStoreOptions opts;
  opts.port = port;
  opts.isServer = rank == 0;
  opts.numWorkers = size;
  opts.waitWorkers = true;
  opts.timeout = ms(timeout_ms);
  auto store = c10::make_intrusive<c10d::TCPStore>(std::string(host), opts);
  check_world_size(*store, rank, size);
  return store;
}

}  // namespace tt
