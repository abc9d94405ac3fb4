//! `cc-connector auth login`: the authorization-code flow with PKCE on a loopback redirect.
//! It prints the URL to open, catches the redirect on 127.0.0.1, checks `state`, exchanges
//! the code and writes the credentials file.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use clap::Args;

use super::common::{AppArgs, print_summary};
use super::http::{self, encode, form};
use super::pkce;
use crate::exit::{CmdResult, Exit, OrExit, say};

const CALLBACK_PATH: &str = "/callback";

#[derive(Args)]
pub struct LoginArgs {
    #[command(flatten)]
    app: AppArgs,

    /// Loopback port for the redirect; the application must have
    /// http://127.0.0.1:PORT/callback registered [default: any free port]
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Seconds to wait for the browser to come back
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

/// What the redirect carried.
struct Callback {
    code: String,
}

impl LoginArgs {
    pub async fn run(self) -> CmdResult {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .with_context(|| format!("failed to listen on 127.0.0.1:{}", self.port))
            .or_exit(Exit::Usage)?;
        let port = listener
            .local_addr()
            .context("failed to read the listening port")
            .or_exit(Exit::Harness)?
            .port();
        let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");

        let verifier = pkce::random_token(32).or_exit(Exit::Harness)?;
        let state = pkce::random_token(16).or_exit(Exit::Harness)?;
        let url = format!(
            "{}/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}&state={}\
             &code_challenge={}&code_challenge_method=S256",
            self.app.auth_base(),
            encode(&self.app.client_id),
            encode(&redirect_uri),
            encode(&self.app.scopes()),
            encode(&state),
            encode(&pkce::challenge(&verifier)),
        );
        eprintln!("Open this URL in a browser and approve the access:");
        eprintln!("{url}");
        eprintln!("Waiting for the redirect to {redirect_uri} ...");

        let deadline = Instant::now() + Duration::from_secs(self.timeout);
        let expected = state.clone();
        let callback = tokio::task::spawn_blocking(move || wait(listener, &expected, deadline))
            .await
            .map_err(|e| anyhow!("failed to wait for the redirect: {e}"))
            .or_exit(Exit::Harness)?
            .or_exit(Exit::Stopped)?;

        let body = form(&[
            ("grant_type", "authorization_code"),
            ("code", &callback.code),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", &verifier),
        ]);
        let answer = http::post_form(
            &format!("{}/token", self.app.auth_base()),
            &self.app.client(),
            &body,
        )
        .await
        .or_exit(Exit::Stopped)?;
        let tokens = answer
            .tokens("exchange the authorization code")
            .or_exit(Exit::Stopped)?;
        let credentials = self.app.credentials(tokens);
        credentials
            .write(&self.app.credentials)
            .or_exit(Exit::Harness)?;

        say(&format!(
            "signed in; credentials written to \"{}\"",
            self.app.credentials.display()
        ))?;
        print_summary(&credentials)?;
        Ok(Exit::Success)
    }
}

/// Accepts connections until one is the redirect with the right `state`.
fn wait(listener: TcpListener, state: &str, deadline: Instant) -> anyhow::Result<Callback> {
    listener
        .set_nonblocking(true)
        .context("failed to configure the listener")?;
    loop {
        if Instant::now() >= deadline {
            bail!("failed to sign in: no redirect arrived before the timeout");
        }
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(e) => return Err(anyhow!("failed to accept the redirect: {e}")),
        };
        match answer(stream, state) {
            Ok(Some(callback)) => return Ok(callback),
            Ok(None) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Reads one request; `None` for requests that are not the callback (e.g. a favicon).
fn answer(mut stream: TcpStream, state: &str) -> anyhow::Result<Option<Callback>> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let Some(query) = target.strip_prefix(&format!("{CALLBACK_PATH}?")) else {
        reply(&mut stream, 404, "Not the sign-in callback.")?;
        return Ok(None);
    };
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .map(decode)
    };

    if param("state").as_deref() != Some(state) {
        reply(
            &mut stream,
            400,
            "The sign-in answer did not match this request.",
        )?;
        bail!("failed to sign in: the redirect's state does not match the request");
    }
    if let Some(error) = param("error") {
        reply(&mut stream, 400, "Sign-in was not completed.")?;
        let description = param("error_description").unwrap_or_default();
        bail!("failed to sign in: the authorization server answered {error} (\"{description}\")");
    }
    let Some(code) = param("code") else {
        reply(&mut stream, 400, "The sign-in answer had no code.")?;
        bail!("failed to sign in: the redirect carried no code");
    };
    reply(
        &mut stream,
        200,
        "Signed in. You can close this window and return to the terminal.",
    )?;
    Ok(Some(Callback { code }))
}

fn reply(stream: &mut TcpStream, status: u16, text: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!("<!doctype html><title>cc-connector</title><p>{text}</p>\n");
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// Decodes a query value (`%XX` and `+`).
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| char::from(b).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
