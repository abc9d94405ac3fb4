//! A minimal HTTP/1.1 server side: parsing requests (with `Content-Length` or chunked bodies),
//! writing responses, and reading query strings.

pub mod query;
pub mod request;
pub mod response;
