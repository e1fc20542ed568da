#if canImport(Glibc)
import Glibc
#endif

/// Runs `body(worker)` for `worker` in `0 ..< count` on `count` threads
/// (the caller's thread runs worker 0) and waits for all of them.
func runParallel(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard count > 1 else {
        body(0)
        return
    }
    final class Job: @unchecked Sendable {  // handed to exactly one thread
        let body: @Sendable (Int) -> Void
        let worker: Int
        init(_ body: @escaping @Sendable (Int) -> Void, _ worker: Int) { self.body = body; self.worker = worker }
    }
    var threads = [pthread_t]()
    for worker in 1..<count {
        let job = Unmanaged.passRetained(Job(body, worker)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.body(job.worker)
            return nil
        }, job)
        if status == 0 {
            threads.append(thread)
        } else {  // no thread to be had: do the work here instead
            Unmanaged<Job>.fromOpaque(job).release()
            body(worker)
        }
    }
    body(0)
    for thread in threads { pthread_join(thread, nil) }
}

/// Runs `count` workers that may wait for each other (at a ``Barrier``),
/// so all of them must be running at once: threads are started first, and
/// `prepare` is called on the caller's thread with the number that did start
/// (at least 1, the caller's own; fewer than `count` only when the system
/// refuses threads). It returns the body, which then runs as
/// `body(worker)` for `worker` in `0 ..< started`, worker 0 on the caller's
/// thread. Returns when all are done.
func runTogether(_ count: Int, prepare: (_ started: Int) -> @Sendable (_ worker: Int) -> Void) {
    final class Job: @unchecked Sendable {  // handed to exactly one thread
        let latch: Latch<@Sendable (Int) -> Void>
        let worker: Int
        init(_ latch: Latch<@Sendable (Int) -> Void>, _ worker: Int) { self.latch = latch; self.worker = worker }
    }
    let latch = Latch<@Sendable (Int) -> Void>()
    var threads = [pthread_t]()
    for worker in 1..<max(count, 1) {
        let job = Unmanaged.passRetained(Job(latch, worker)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.latch.wait()(job.worker)
            return nil
        }, job)
        guard status == 0 else {  // no more threads to be had: go on with those started
            Unmanaged<Job>.fromOpaque(job).release()
            break
        }
        threads.append(thread)
    }
    let body = prepare(threads.count + 1)
    latch.open(body)
    body(0)
    for thread in threads { pthread_join(thread, nil) }
}

/// Number of online processors (at least 1).
var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// A value that only the caller's thread (worker 0 of ``runParallel(_:_:)``)
/// touches, such as a user's progress callback.
struct CallerThreadOnly<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
