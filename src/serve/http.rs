//! The HTTP/1.1 side of `carenet serve`: one thread and one request per
//! connection, every answer closed with `Connection: close`.
//!
//! Why not a keep-alive server with a thread pool (tiny_http, which this
//! replaced): its pool can leave a new connection queued behind connections a
//! browser keeps open and idle, so a page's first load hung for minutes on a
//! loaded two-core machine (the CI runs of session 7). A teaching page makes a
//! few requests a second; a fresh connection for each costs nothing here, and
//! an idle connection only ever holds its own thread, for at most
//! [`READ_TIMEOUT`].

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a connection may take to send its request.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);
/// Largest request head (request line and headers).
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long, and how much, a refused body is read after the answer.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);
const MAX_DRAIN_BYTES: u64 = 1 << 20;
/// How often the stop flag is looked at.
const STOP_POLL: Duration = Duration::from_millis(100);

/// A parsed request: method, target, headers and body.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub url: String,
    headers: Vec<(String, String)>,
    pub body: Body,
}

/// The body of a request, or why it was not read.
#[derive(Debug, PartialEq)]
pub enum Body {
    Read(Vec<u8>),
    /// Content-Length above the limit; the body was not read.
    TooLarge,
    /// A body without Content-Length (chunked): not accepted.
    LengthRequired,
}

impl Request {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers (without Content-Length and Connection, which
/// [`write_response`] adds) and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Binds 127.0.0.1:`port` (0: any free port).
pub fn bind(port: u16) -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let address = listener.local_addr()?;
    Ok((listener, address))
}

/// Accepts connections until `stop` is set; each is answered in its own
/// thread by `answer`.
pub fn serve_until<F>(listener: &TcpListener, stop: &AtomicBool, answer: F)
where
    F: Fn(&Request) -> Response + Send + Sync + Clone + 'static,
{
    std::thread::scope(|scope| {
        // Accept blocks; once `stop` is set, a connection of our own wakes it.
        scope.spawn(|| wake_when_stopped(listener, stop));
        for stream in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            match stream {
                Ok(stream) => {
                    let answer = answer.clone();
                    std::thread::spawn(move || {
                        // A client that went away is not the server's problem.
                        let _ = handle_connection(stream, &answer);
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    eprintln!("carenet serve: cannot accept a connection: {e}");
                    std::thread::sleep(STOP_POLL);
                }
            }
        }
    });
}

fn wake_when_stopped(listener: &TcpListener, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(STOP_POLL);
    }
    if let Ok(address) = listener.local_addr() {
        let _ = TcpStream::connect(address);
    }
}

fn handle_connection<F>(stream: TcpStream, answer: &F) -> io::Result<()>
where
    F: Fn(&Request) -> Response,
{
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let (response, head_only) = match read_request(&mut reader, &mut writer) {
        Ok(request) => (answer(&request), request.method == "HEAD"),
        Err(RequestError::Closed) => return Ok(()),
        Err(RequestError::Io(e)) => return Err(e),
        Err(RequestError::Malformed(message)) => (bad_request(&message), false),
    };
    write_response(&mut writer, &response, head_only)?;
    writer.flush()?;
    // Read what the client still sends (a refused body) until it closes its
    // side, so that it gets the answer rather than a connection reset.
    writer.shutdown(std::net::Shutdown::Write)?;
    writer.set_read_timeout(Some(DRAIN_TIMEOUT))?;
    let _ = io::copy(&mut reader.take(MAX_DRAIN_BYTES), &mut io::sink());
    Ok(())
}

enum RequestError {
    /// The client closed the connection before sending anything.
    Closed,
    Io(io::Error),
    Malformed(String),
}

impl From<io::Error> for RequestError {
    fn from(e: io::Error) -> Self {
        RequestError::Io(e)
    }
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Request, RequestError> {
    let mut head_bytes = 0;
    let request_line = match read_line(reader, &mut head_bytes)? {
        None => return Err(RequestError::Closed),
        Some(line) => line,
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RequestError::Malformed(format!(
            "not an HTTP request line: {request_line:?}"
        )));
    };
    if !matches!(version, "HTTP/1.0" | "HTTP/1.1") || method.is_empty() || !url.starts_with('/') {
        return Err(RequestError::Malformed(format!(
            "not an HTTP/1.1 request line: {request_line:?}"
        )));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut head_bytes)?
            .ok_or_else(|| RequestError::Malformed("the request head ends early".into()))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| RequestError::Malformed(format!("not a header line: {line:?}")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        url: url.to_string(),
        headers,
        body: Body::Read(Vec::new()),
    };
    request.body = read_body(&request, reader, writer)?;
    Ok(request)
}

/// One line of the head without its CRLF; `None` at the end of the stream
/// before any byte.
fn read_line(
    reader: &mut BufReader<TcpStream>,
    head_bytes: &mut usize,
) -> Result<Option<String>, RequestError> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD_BYTES - *head_bytes) as u64 + 1;
    let n = reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    *head_bytes += n;
    if *head_bytes > MAX_HEAD_BYTES {
        return Err(RequestError::Malformed(format!(
            "the request head is longer than {MAX_HEAD_BYTES} bytes"
        )));
    }
    if line.last() != Some(&b'\n') {
        return Err(RequestError::Malformed(
            "the request head ends early".into(),
        ));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| RequestError::Malformed("the request head is not UTF-8".into()))
}

fn read_body(
    request: &Request,
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
) -> Result<Body, RequestError> {
    if request.header("Transfer-Encoding").is_some() {
        return Ok(Body::LengthRequired);
    }
    let length = match request.header("Content-Length") {
        None => return Ok(Body::Read(Vec::new())),
        Some(value) => value.parse::<usize>().map_err(|_| {
            RequestError::Malformed(format!("Content-Length {value:?} is not a number"))
        })?,
    };
    if length > super::MAX_BODY_BYTES {
        return Ok(Body::TooLarge);
    }
    if request
        .header("Expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Body::Read(body))
}

fn bad_request(message: &str) -> Response {
    let body = serde_json::json!({
        "error": format!("a malformed request: {message}"),
        "fix": "send an HTTP/1.1 request, e.g. GET / HTTP/1.1 with a Host header",
        "status": 400,
    });
    Response {
        status: 400,
        headers: vec![("Content-Type", "application/json; charset=utf-8".into())],
        body: body.to_string().into_bytes(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Writes the status line, the headers, Content-Length, `Connection: close`
/// and (unless the request was HEAD) the body.
pub fn write_response(
    out: &mut impl Write,
    response: &Response,
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        // Header values come from this server; a line break would split the head.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&response.body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_has_its_length_and_closes_the_connection() {
        let response = Response {
            status: 404,
            headers: vec![("Content-Type", "text/plain".into())],
            body: b"nothing".to_vec(),
        };
        let mut out = Vec::new();
        write_response(&mut out, &response, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\
             Content-Length: 7\r\nConnection: close\r\n\r\nnothing"
        );
        let mut out = Vec::new();
        write_response(&mut out, &response, true).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("\r\n\r\n"));
    }

    #[test]
    fn a_header_value_with_a_line_break_is_left_out() {
        let response = Response {
            status: 200,
            headers: vec![("Location", "/x\r\nSet-Cookie: a=b".into())],
            body: Vec::new(),
        };
        let mut out = Vec::new();
        write_response(&mut out, &response, false).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains("Set-Cookie"));
    }
}
