//! A TCP proxy of the tests' own, to cut a link and mend it: it listens on a loopback port and
//! forwards every connection to a target address, byte for byte, with plain threads.
//!
//! [`Proxy::cut`] is a pulled cable as a client sees it: every live connection is shut down at
//! once (both sides read end of stream, writes fail) and the listening socket is closed, so new
//! connections are refused. [`Proxy::restore`] listens again on the same port.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the accepting thread looks for a new connection (the listener is non-blocking, so
/// that `cut` can take it away at any moment).
const POLL: Duration = Duration::from_millis(5);

pub struct Proxy {
    addr: SocketAddr,
    inner: Arc<Inner>,
}

struct Inner {
    target: SocketAddr,
    /// `None` while the link is cut.
    listener: Mutex<Option<TcpListener>>,
    /// The live connections: (client side, server side), to shut down on `cut`.
    conns: Mutex<HashMap<u64, (TcpStream, TcpStream)>>,
    next_id: AtomicU64,
    /// Connections forwarded since the start.
    accepted: AtomicUsize,
    /// Bytes forwarded, both directions.
    bytes: AtomicU64,
    stop: AtomicBool,
}

impl Proxy {
    /// A proxy on `127.0.0.1:<free port>` forwarding to `target`.
    pub fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy: bind");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner {
            target,
            listener: Mutex::new(Some(listener)),
            conns: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
            accepted: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        let acceptor = inner.clone();
        std::thread::spawn(move || acceptor.accept_loop());
        Proxy { addr, inner }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Cuts the link: every live connection is shut down, new ones are refused. Returns how
    /// many live connections were cut.
    pub fn cut(&self) -> usize {
        // The listener first: the accepting thread registers a connection while it holds the
        // listener, so none slips past the sweep below.
        drop(self.inner.listener.lock().unwrap().take());
        let conns: Vec<_> = self.inner.conns.lock().unwrap().drain().collect();
        for (_, (client, server)) in &conns {
            let _ = client.shutdown(Shutdown::Both);
            let _ = server.shutdown(Shutdown::Both);
        }
        conns.len()
    }

    /// Mends the link: listens on the same port again (no-op when not cut).
    pub fn restore(&self) {
        let mut slot = self.inner.listener.lock().unwrap();
        if slot.is_some() {
            return;
        }
        // std sets SO_REUSEADDR on Unix: the port is free again as soon as the old listener is
        // closed, even with connections of its own in TIME_WAIT.
        let deadline = Instant::now() + Duration::from_secs(5);
        let listener = loop {
            match TcpListener::bind(self.addr) {
                Ok(l) => break l,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("proxy: rebinding {} failed ({e}), retrying", self.addr);
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("proxy: cannot listen on {} again: {e}", self.addr),
            }
        };
        listener.set_nonblocking(true).unwrap();
        *slot = Some(listener);
    }

    /// Whether the link is cut.
    pub fn is_cut(&self) -> bool {
        self.inner.listener.lock().unwrap().is_none()
    }

    /// Connections forwarded so far.
    pub fn accepted(&self) -> usize {
        self.inner.accepted.load(Ordering::SeqCst)
    }

    /// Connections open now.
    pub fn live(&self) -> usize {
        self.inner.conns.lock().unwrap().len()
    }

    /// Bytes forwarded so far, both directions.
    pub fn bytes(&self) -> u64 {
        self.inner.bytes.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        self.cut();
    }
}

impl Inner {
    fn accept_loop(self: Arc<Inner>) {
        while !self.stop.load(Ordering::SeqCst) {
            let accepted = {
                let slot = self.listener.lock().unwrap();
                match slot.as_ref().map(TcpListener::accept) {
                    Some(Ok((client, _))) => self.open(client),
                    Some(Err(e)) if e.kind() != ErrorKind::WouldBlock => {
                        eprintln!("proxy: accept failed: {e}");
                        false
                    }
                    _ => false,
                }
            };
            if !accepted {
                std::thread::sleep(POLL);
            }
        }
    }

    /// Connects `client` to the target and starts the two pumps (called with the listener
    /// held). A target that refuses makes the client see its connection closed.
    fn open(self: &Arc<Inner>, client: TcpStream) -> bool {
        // Accepted sockets do not inherit the listener's O_NONBLOCK on Linux; be explicit.
        let _ = client.set_nonblocking(false);
        let server = match TcpStream::connect_timeout(&self.target, Duration::from_secs(2)) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("proxy: target {} unreachable: {e}", self.target);
                let _ = client.shutdown(Shutdown::Both);
                return true;
            }
        };
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
            return true;
        };
        self.conns.lock().unwrap().insert(id, (c2, s2));
        self.accepted.fetch_add(1, Ordering::SeqCst);
        // Both pumps done: the connection leaves the table.
        let done = Arc::new(AtomicUsize::new(0));
        for (from, to) in [
            (client.try_clone(), server.try_clone()),
            (Ok(server), Ok(client)),
        ] {
            let (Ok(from), Ok(to)) = (from, to) else {
                continue;
            };
            let (inner, done) = (self.clone(), done.clone());
            std::thread::spawn(move || {
                inner.pump(from, to);
                if done.fetch_add(1, Ordering::SeqCst) == 1 {
                    inner.conns.lock().unwrap().remove(&id);
                }
            });
        }
        true
    }

    /// Copies `from` to `to` until end of stream (then half-closes `to`) or an error (then
    /// closes both).
    fn pump(&self, mut from: TcpStream, mut to: TcpStream) {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) => {
                    let _ = to.shutdown(Shutdown::Write);
                    return;
                }
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    self.bytes.fetch_add(n as u64, Ordering::SeqCst);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    }
}
