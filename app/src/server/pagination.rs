//! The one pagination rule of every list, page or API: `?limit=` from 1 to [`MAX_LIMIT`]
//! (default chosen by the list), `?offset=` of 0 or more; anything else is a 400 naming the
//! parameter. Links to the previous and next page keep the other query parameters.

use super::urls::{absolute, with_query};
use crate::engine::clean::{FieldErrors, add_error};
use actix_web::HttpRequest;

/// The largest accepted `?limit=`.
pub const MAX_LIMIT: i64 = 1000;

/// The query parameters pagination reads; lists skip them when reading filters.
pub const PARAMETERS: &[&str] = &["limit", "offset"];

/// `?limit=` and `?offset=` of a list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    limit: Option<i64>,
    /// Objects skipped.
    pub offset: i64,
}

impl Pagination {
    /// Reads the parameters from a query string's pairs.
    ///
    /// ```
    /// use netbox_app::server::pagination::Pagination;
    ///
    /// let pairs = |q: &str| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap();
    /// let page = Pagination::from_pairs(&pairs("limit=3&offset=6&q=x")).unwrap();
    /// assert_eq!((page.limit(50), page.offset), (3, 6));
    /// assert_eq!(Pagination::from_pairs(&pairs("")).unwrap().limit(50), 50);
    /// assert!(Pagination::from_pairs(&pairs("limit=0")).is_err());
    /// assert_eq!(Pagination::from_pairs(&pairs("limit=&offset=")).unwrap().limit(25), 25);
    /// ```
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, FieldErrors> {
        let mut pagination = Pagination {
            limit: None,
            offset: 0,
        };
        let mut errors = FieldErrors::new();
        // An empty value counts as absent, as in NetBox (`?limit=` is the default page).
        for (key, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
            match key.as_str() {
                "limit" => match value.parse::<i64>() {
                    Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => pagination.limit = Some(limit),
                    _ => add_error(
                        &mut errors,
                        "limit",
                        format!("Enter a whole number from 1 to {MAX_LIMIT}."),
                    ),
                },
                "offset" => match value.parse::<i64>() {
                    Ok(offset) if offset >= 0 => pagination.offset = offset,
                    _ => add_error(&mut errors, "offset", "Enter a whole number of 0 or more."),
                },
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(pagination)
        } else {
            Err(errors)
        }
    }

    /// The page size: the client's, else the list's `default`.
    pub fn limit(&self, default: i64) -> i64 {
        self.limit.unwrap_or(default)
    }

    /// Links to the previous and next page of a list of `count` objects shown `limit` at a
    /// time: paths for pages, absolute URLs for the API.
    pub fn links(
        &self,
        request: &HttpRequest,
        pairs: &[(String, String)],
        limit: i64,
        count: i64,
        absolute_urls: bool,
    ) -> (Option<String>, Option<String>) {
        let link = |offset: i64| {
            let set = [("limit", limit.to_string()), ("offset", offset.to_string())];
            let path = with_query(request, pairs, &set);
            if absolute_urls {
                absolute(request, &path)
            } else {
                path
            }
        };
        let previous = (self.offset > 0).then(|| link((self.offset - limit).max(0)));
        let after = self.offset.saturating_add(limit);
        let next = (after < count).then(|| link(after));
        (previous, next)
    }
}
