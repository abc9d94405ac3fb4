//! Where records come from and go to: `--input FILE|-`, `--output FILE|-`, and the format
//! each has (from `--format` or the file's extension).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use host_test::records::Format;

use crate::exit::{Exit, Failure, OrExit, usage};

/// Reading records.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Records to send: a file, or `-` for stdin
    #[arg(long, short, value_name = "FILE|-")]
    pub input: PathBuf,

    /// Format of the input [default: from the extension; ndjson for stdin]
    #[arg(long = "format", value_name = "ndjson|csv", value_parser = parse_format)]
    pub input_format: Option<Format>,
}

/// Writing outcomes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Where to write the outcomes: a file, or `-` for stdout
    #[arg(long, short, value_name = "FILE|-", default_value = "-")]
    pub output: PathBuf,

    /// Format of the outcomes [default: from the extension; ndjson for stdout]
    #[arg(long = "output-format", value_name = "ndjson|csv", value_parser = parse_format)]
    pub format: Option<Format>,
}

pub fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).ok_or_else(|| format!("expected ndjson or csv, found \"{text}\""))
}

fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn format_of(
    path: &Path,
    given: Option<Format>,
    what: &str,
    flag: &str,
) -> Result<Format, Failure> {
    if let Some(format) = given {
        return Ok(format);
    }
    if is_stdio(path) {
        return Ok(Format::Ndjson);
    }
    Format::from_path(path).ok_or_else(|| {
        usage(format!(
            "failed to choose the {what} format for \"{}\": give {} ndjson|csv",
            path.display(),
            flag
        ))
    })
}

impl InputArgs {
    /// The whole input and its format.
    pub fn read(&self) -> Result<(String, Format), Failure> {
        let format = format_of(&self.input, self.input_format, "input", "--format")?;
        let shown = if is_stdio(&self.input) {
            "stdin".to_owned()
        } else {
            format!("\"{}\"", self.input.display())
        };
        let mut bytes = Vec::new();
        if is_stdio(&self.input) {
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| anyhow::anyhow!("failed to read stdin: {e}"))
                .or_exit(Exit::Usage)?;
        } else {
            bytes = std::fs::read(&self.input)
                .map_err(|e| anyhow::anyhow!("failed to read {shown}: {e}"))
                .or_exit(Exit::Usage)?;
        }
        let text = utf8(bytes)
            .map_err(|cause| anyhow::anyhow!("failed to read {shown}: {cause}"))
            .or_exit(Exit::Usage)?;
        Ok((text, format))
    }
}

/// The bytes as text, or where they stop being UTF-8 (the line, counted from 1, and the
/// byte), so a file saved in another encoding can be found and fixed.
fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        format!(
            "line {line} is not UTF-8 (byte 0x{:02x} at offset {at}); save the file as UTF-8",
            bytes[at]
        )
    })
}

impl OutputArgs {
    /// The output format; `flag` is the option that sets it, for the error message.
    pub fn format_for(&self, flag: &str) -> Result<Format, Failure> {
        format_of(&self.output, self.format, "output", flag)
    }

    /// Opens the output; `append` keeps what a file holds. Also says whether the file
    /// already had content (so a CSV header is not written twice).
    pub fn open(&self, append: bool) -> Result<(Box<dyn Write>, bool), Failure> {
        if is_stdio(&self.output) {
            return Ok((Box::new(io::stdout().lock()), false));
        }
        let had_content = append
            && std::fs::metadata(&self.output)
                .map(|m| m.len() > 0)
                .unwrap_or(false);
        let file: io::Result<File> = if append {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.output)
        } else {
            File::create(&self.output)
        };
        let file = file
            .map_err(|e| anyhow::anyhow!("failed to open \"{}\": {e}", self.output.display()))
            .or_exit(Exit::Usage)?;
        Ok((Box::new(BufWriter::new(file)), had_content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_says_where() {
        assert_eq!(utf8(b"email\na@b.c\n".to_vec()).unwrap(), "email\na@b.c\n");
        let latin1 = b"email,first_name\nj@b.c,Jos\xe9\n".to_vec();
        assert_eq!(
            utf8(latin1).unwrap_err(),
            "line 2 is not UTF-8 (byte 0xe9 at offset 26); save the file as UTF-8"
        );
    }
}
