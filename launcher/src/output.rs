//! Copying a rank's piped stdout and stderr to the launcher's, one prefixed line at a time.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{ChildStderr, ChildStdout};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A line longer than this is written out in pieces of this size (each with the prefix and a
/// newline), so that a rank printing without newlines cannot grow the launcher's memory.
const MAX_LINE: usize = 64 * 1024;

/// Where a pump writes.
#[derive(Clone, Copy)]
enum Sink {
    Stdout,
    Stderr,
}

impl Sink {
    /// Writes one complete line (prefix included) under the stream's lock. Errors (a closed
    /// stdout, say) are ignored: the pump keeps draining the pipe so that the rank never blocks.
    fn write_line(self, line: &[u8]) {
        match self {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                let _ = out.write_all(line).and_then(|()| out.flush());
            }
            Sink::Stderr => {
                let _ = io::stderr().lock().write_all(line);
            }
        }
    }
}

/// The output threads of all ranks.
pub(crate) struct Pumps {
    threads: Vec<JoinHandle<()>>,
    /// Every thread holds a clone and drops it when done: the receiver disconnects when all are.
    done_tx: Option<Sender<()>>,
    done_rx: Receiver<()>,
}

impl Pumps {
    pub(crate) fn new() -> Self {
        let (done_tx, done_rx) = mpsc::channel();
        Pumps {
            threads: Vec::new(),
            done_tx: Some(done_tx),
            done_rx,
        }
    }

    /// Starts the threads copying global rank `rank`'s pipes.
    pub(crate) fn start(
        &mut self,
        rank: usize,
        stdout: Option<ChildStdout>,
        stderr: Option<ChildStderr>,
    ) -> io::Result<()> {
        if let Some(stdout) = stdout {
            self.spawn(rank, "stdout", stdout, Sink::Stdout)?;
        }
        if let Some(stderr) = stderr {
            self.spawn(rank, "stderr", stderr, Sink::Stderr)?;
        }
        Ok(())
    }

    fn spawn(
        &mut self,
        rank: usize,
        stream: &str,
        source: impl Read + Send + 'static,
        sink: Sink,
    ) -> io::Result<()> {
        let done = self.done_tx.clone().expect("pumps not finished yet");
        let prefix = format!("[rank {rank}] ").into_bytes();
        let thread = thread::Builder::new()
            .name(format!("rank-{rank}-{stream}"))
            .spawn(move || {
                pump(source, &prefix, sink);
                drop(done);
            })?;
        self.threads.push(thread);
        Ok(())
    }

    /// Waits up to `timeout` for every pipe to reach end of file and joins the threads. Threads
    /// still running after that (a pipe kept open by a process outside the ranks' process groups)
    /// are left to finish on their own.
    pub(crate) fn finish(mut self, timeout: Duration) {
        self.done_tx = None;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done_rx.recv_timeout(left) {
                Ok(()) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => return,
            }
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Copies `source` to `sink` line by line, each line prefixed; a last line without a newline gets
/// one. Bytes are copied as they are (no UTF-8 requirement).
fn pump(source: impl Read, prefix: &[u8], sink: Sink) {
    let mut reader = BufReader::with_capacity(16 * 1024, source);
    let mut line = prefix.to_vec();
    loop {
        let buf = match reader.fill_buf() {
            Ok([]) => break,
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let (taken, complete) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..taken]);
        reader.consume(taken);
        if complete || line.len() - prefix.len() >= MAX_LINE {
            if !complete {
                line.push(b'\n');
            }
            sink.write_line(&line);
            line.truncate(prefix.len());
        }
    }
    if line.len() > prefix.len() {
        line.push(b'\n');
        sink.write_line(&line);
    }
}
