//! Helpers around the WIT `error`: constructors for the connector's own failures, the rule
//! that decides which errors stop a write activity, secret scrubbing, and a short form for
//! log lines.

use crate::secret::Scrubber;
use crate::wit::{
    ApiFailure, BadResponseFailure, ConflictFailure, Error, FieldError, ForbiddenFailure,
    TransportFailure, TransportKind, ValidationFailure,
};

/// How many field errors a validation message spells out before summarising the rest.
const FIELDS_IN_MESSAGE: usize = 3;

pub fn invalid_config(message: &str) -> Error {
    Error::InvalidConfig(message.to_owned())
}

pub fn field(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        reason: reason.into(),
    }
}

/// A refusal by the connector itself, before anything was sent. `what` completes
/// "failed to validate …", e.g. "the contact".
pub fn validation(what: &str, fields: Vec<FieldError>) -> Error {
    let mut parts: Vec<String> = fields
        .iter()
        .take(FIELDS_IN_MESSAGE)
        .map(|f| format!("{}: {}", f.field, f.reason))
        .collect();
    if fields.len() > FIELDS_IN_MESSAGE {
        parts.push(format!("and {} more", fields.len() - FIELDS_IN_MESSAGE));
    }
    Error::Validation(ValidationFailure {
        status: None,
        error_key: None,
        message: format!("failed to validate {what}: {}", parts.join("; ")),
        fields,
    })
}

pub fn bad_response(status: u16, message: String) -> Error {
    Error::BadResponse(BadResponseFailure { status, message })
}

/// Errors that make every later record of a write activity fail the same way: the
/// credentials, the account's quota or the host's policy, not the record, are at fault.
pub fn is_fatal(error: &Error) -> bool {
    match error {
        Error::Unauthorized(_)
        | Error::ReauthorizationRequired(_)
        | Error::Forbidden(_)
        | Error::QuotaExhausted(_)
        | Error::CredentialsNotSaved(_)
        | Error::BudgetExhausted(_) => true,
        Error::Transport(t) => t.kind == TransportKind::Denied,
        _ => false,
    }
}

/// The error case's name in the JSON form, e.g. `quota_exhausted`.
pub fn kind_name(error: &Error) -> &'static str {
    match error {
        Error::InvalidConfig(_) => "invalid_config",
        Error::Unauthorized(_) => "unauthorized",
        Error::ReauthorizationRequired(_) => "reauthorization_required",
        Error::Forbidden(_) => "forbidden",
        Error::NotFound(_) => "not_found",
        Error::Conflict(_) => "conflict",
        Error::Validation(_) => "validation",
        Error::RateLimited(_) => "rate_limited",
        Error::QuotaExhausted(_) => "quota_exhausted",
        Error::ServerError(_) => "server_error",
        Error::Transport(_) => "transport",
        Error::BadResponse(_) => "bad_response",
        Error::CredentialsNotSaved(_) => "credentials_not_saved",
        Error::BudgetExhausted(_) => "budget_exhausted",
    }
}

/// The error's message, whatever its case.
pub fn message(error: &Error) -> &str {
    match error {
        Error::InvalidConfig(m)
        | Error::ReauthorizationRequired(m)
        | Error::CredentialsNotSaved(m)
        | Error::BudgetExhausted(m) => m,
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => &f.message,
        Error::Forbidden(f) => &f.failure.message,
        Error::Conflict(f) => &f.failure.message,
        Error::Validation(f) => &f.message,
        Error::Transport(f) => &f.message,
        Error::BadResponse(f) => &f.message,
    }
}

/// The error with a sentence added to its message, e.g. what was done before it struck.
pub fn with_note(mut error: Error, note: &str) -> Error {
    let message = message_mut(&mut error);
    message.push_str("; ");
    message.push_str(note);
    error
}

/// The error with what failed put in front of its message: `failed to create list "A": …`.
pub fn with_context(mut error: Error, context: &str) -> Error {
    let message = message_mut(&mut error);
    *message = format!("{context}: {message}");
    error
}

fn message_mut(error: &mut Error) -> &mut String {
    match error {
        Error::InvalidConfig(m)
        | Error::ReauthorizationRequired(m)
        | Error::CredentialsNotSaved(m)
        | Error::BudgetExhausted(m) => m,
        Error::Unauthorized(f)
        | Error::NotFound(f)
        | Error::RateLimited(f)
        | Error::QuotaExhausted(f)
        | Error::ServerError(f) => &mut f.message,
        Error::Forbidden(f) => &mut f.failure.message,
        Error::Conflict(f) => &mut f.failure.message,
        Error::Validation(f) => &mut f.message,
        Error::Transport(f) => &mut f.message,
        Error::BadResponse(f) => &mut f.message,
    }
}

/// `kind: message`, for log lines.
pub fn summary(error: &Error) -> String {
    format!("{}: {}", kind_name(error), message(error))
}

/// Longest text an error carries once scrubbed; a hostile or broken server must not be able
/// to fill outcomes and logs.
const MAX_TEXT_CHARS: usize = 2000;

/// Removes every known secret from every text the error carries, then bounds each text's
/// length (in that order, so no part of a secret can survive a cut).
pub fn scrub(error: Error, scrubber: &Scrubber) -> Error {
    let text = |m: String| bounded(scrubber.scrub(&m));
    let api = |f: ApiFailure| ApiFailure {
        status: f.status,
        error_key: f.error_key.map(text),
        message: text(f.message),
    };
    match error {
        Error::InvalidConfig(m) => Error::InvalidConfig(text(m)),
        Error::ReauthorizationRequired(m) => Error::ReauthorizationRequired(text(m)),
        Error::CredentialsNotSaved(m) => Error::CredentialsNotSaved(text(m)),
        Error::BudgetExhausted(m) => Error::BudgetExhausted(text(m)),
        Error::Unauthorized(f) => Error::Unauthorized(api(f)),
        Error::NotFound(f) => Error::NotFound(api(f)),
        Error::RateLimited(f) => Error::RateLimited(api(f)),
        Error::QuotaExhausted(f) => Error::QuotaExhausted(api(f)),
        Error::ServerError(f) => Error::ServerError(api(f)),
        Error::Forbidden(f) => Error::Forbidden(ForbiddenFailure {
            failure: api(f.failure),
            ..f
        }),
        Error::Conflict(f) => Error::Conflict(ConflictFailure {
            failure: api(f.failure),
            ..f
        }),
        Error::Validation(f) => Error::Validation(ValidationFailure {
            message: text(f.message),
            error_key: f.error_key.map(text),
            fields: f
                .fields
                .into_iter()
                .map(|e| field(text(e.field), text(e.reason)))
                .collect(),
            ..f
        }),
        Error::Transport(f) => Error::Transport(TransportFailure {
            kind: f.kind,
            message: text(f.message),
        }),
        Error::BadResponse(f) => Error::BadResponse(BadResponseFailure {
            status: f.status,
            message: text(f.message),
        }),
    }
}

fn bounded(text: String) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_TEXT_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn api(message: &str) -> ApiFailure {
        ApiFailure {
            status: 401,
            error_key: None,
            message: message.into(),
        }
    }

    #[test]
    fn fatal_errors_are_the_credential_quota_and_policy_ones() {
        let transport = |kind| {
            Error::Transport(TransportFailure {
                kind,
                message: "x".into(),
            })
        };
        assert!(is_fatal(&Error::Unauthorized(api("x"))));
        assert!(is_fatal(&Error::QuotaExhausted(api("x"))));
        assert!(is_fatal(&Error::BudgetExhausted("x".into())));
        assert!(is_fatal(&transport(TransportKind::Denied)));
        assert!(!is_fatal(&transport(TransportKind::Timeout)));
        assert!(!is_fatal(&Error::RateLimited(api("x"))));
        assert!(!is_fatal(&Error::NotFound(api("x"))));
        assert!(!is_fatal(&validation("the contact", vec![])));
    }

    #[test]
    fn validation_message_names_the_first_fields() {
        let fields = (0..5).map(|i| field(format!("f{i}"), "bad")).collect();
        let Error::Validation(v) = validation("the contact", fields) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            v.message,
            "failed to validate the contact: f0: bad; f1: bad; f2: bad; and 2 more"
        );
        assert_eq!(v.fields.len(), 5);
        assert_eq!(v.status, None);
    }

    #[test]
    fn scrub_reaches_nested_messages() {
        let token = Secret::new("tok-abcdef".into());
        let scrubber = Scrubber::new([&token]);
        let error = Error::Forbidden(ForbiddenFailure {
            failure: api("echo tok-abcdef"),
            required_scope: Some("contact_data".into()),
            required_privilege: None,
        });
        let scrubbed = scrub(error, &scrubber);
        assert_eq!(message(&scrubbed), "echo <redacted>");
        assert_eq!(summary(&scrubbed), "forbidden: echo <redacted>");
    }

    #[test]
    fn long_texts_are_cut_after_secrets_are_scrubbed() {
        // The token straddles the cut: scrubbing first leaves no part of it.
        let token = Secret::new(format!("tok-{}", "s".repeat(40)));
        let scrubber = Scrubber::new([&token]);
        let long = format!(
            "{}{}{}",
            "x".repeat(MAX_TEXT_CHARS - 10),
            token.expose(),
            "y".repeat(99_000)
        );
        let scrubbed = scrub(Error::ServerError(api(&long)), &scrubber);
        let text = message(&scrubbed);
        assert!(text.chars().count() <= MAX_TEXT_CHARS + 1, "{}", text.len());
        assert!(!text.contains("tok-sss"), "part of the token survived");
        assert!(text.contains("<redacted>"));
    }
}
