#if canImport(Glibc)
import Glibc
#endif

/// A reusable barrier (pthread barrier) for a fixed number of threads that
/// work in lockstep: each ``wait()`` returns once all of them have called it.
/// Waiting threads sleep; they burn no CPU time.
final class Barrier: @unchecked Sendable {
    private let barrier = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)

    /// A barrier for `parties` threads (at least 1).
    init(parties: Int) { pthread_barrier_init(barrier, nil, UInt32(max(parties, 1))) }

    deinit {
        pthread_barrier_destroy(barrier)
        barrier.deallocate()
    }

    /// Blocks until every party has called `wait()` (once per round).
    func wait() { _ = pthread_barrier_wait(barrier) }
}

/// A value that one thread publishes once and others wait for.
final class Latch<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var value: Value?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Publishes `value` and wakes every waiter.
    func open(_ value: Value) {
        pthread_mutex_lock(mutex)
        self.value = value
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits until the value is published, and returns it.
    func wait() -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let value { return value }
            pthread_cond_wait(condition, mutex)
        }
    }
}
