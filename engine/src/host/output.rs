//! Forwards a host's stdout and stderr, line by line, into the current run's
//! diagnostics: stdout lines are info, stderr lines are errors.

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader, Lines};
use tokio::task::JoinHandle;

use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::run_record::CurrentRun;

pub(super) fn forward_lines<R>(
    mut lines: Lines<BufReader<R>>,
    source: Source,
    current: CurrentRun,
) -> JoinHandle<()>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let severity = if source == Source::HostStderr { Severity::Error } else { Severity::Info };
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            current.get().diagnostics.push(Diagnostic {
                severity,
                source,
                urn: String::new(),
                message: line,
                ephemeral: false,
            });
        }
    })
}

pub(super) fn lines<R: AsyncRead + Unpin>(reader: R) -> Lines<BufReader<R>> {
    BufReader::new(reader).lines()
}
