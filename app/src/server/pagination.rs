//! The one pagination rule of every list, page or API, NetBox's: `?limit=` of 0 or more (0
//! asks for the largest page, larger limits are cut to it), `?offset=` of 0 or more, or
//! `?start=<id>` for a keyset page (objects from that id on, by id, not counted); anything
//! else is a 400 naming the parameter. Links to the previous and next page keep the other
//! query parameters.

use super::urls::{absolute, with_query};
use crate::engine::clean::{FieldErrors, add_error};
use actix_web::HttpRequest;

/// Page sizes: the default and the largest (NetBox's `PAGINATE_COUNT` and `MAX_PAGE_SIZE`,
/// set by `paginate_count` and `max_page_size` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize {
    /// Objects per page when `?limit=` is not given.
    pub default: i64,
    /// The largest page; `?limit=0` asks for it, larger limits are cut to it.
    pub max: i64,
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize {
            default: 50,
            max: 1000,
        }
    }
}

/// The query parameters pagination reads; lists skip them when reading filters.
pub const PARAMETERS: &[&str] = &["limit", "offset", "start"];

/// `?limit=`, `?offset=` and `?start=` of a list request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    limit: Option<i64>,
    /// Objects skipped.
    pub offset: i64,
    /// A keyset page: objects from this id on, by id.
    pub start: Option<i64>,
}

impl Pagination {
    /// Reads the parameters from a query string's pairs.
    ///
    /// ```
    /// use netbox_app::server::pagination::{PageSize, Pagination};
    ///
    /// let pairs = |q: &str| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap();
    /// let size = PageSize { default: 50, max: 1000 };
    /// let page = Pagination::from_pairs(&pairs("limit=3&offset=6&q=x")).unwrap();
    /// assert_eq!((page.limit(size), page.offset), (3, 6));
    /// assert_eq!(Pagination::from_pairs(&pairs("")).unwrap().limit(size), 50);
    /// assert_eq!(Pagination::from_pairs(&pairs("limit=0")).unwrap().limit(size), 1000);
    /// assert_eq!(Pagination::from_pairs(&pairs("limit=5000")).unwrap().limit(size), 1000);
    /// assert!(Pagination::from_pairs(&pairs("limit=-1")).is_err());
    /// assert_eq!(Pagination::from_pairs(&pairs("limit=&offset=")).unwrap().limit(size), 50);
    /// assert_eq!(Pagination::from_pairs(&pairs("start=10")).unwrap().start, Some(10));
    /// ```
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, FieldErrors> {
        let mut pagination = Pagination {
            limit: None,
            offset: 0,
            start: None,
        };
        let mut errors = FieldErrors::new();
        // An empty value counts as absent, as in NetBox (`?limit=` is the default page).
        for (key, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
            let number = value.trim().parse::<i64>().ok().filter(|n| *n >= 0);
            match (key.as_str(), number) {
                ("limit", Some(limit)) => pagination.limit = Some(limit),
                ("offset", Some(offset)) => pagination.offset = offset,
                ("start", Some(start)) => pagination.start = Some(start),
                ("limit", None) => add_error(
                    &mut errors,
                    "limit",
                    "Enter a whole number of 0 or more (0: the largest page).",
                ),
                ("offset" | "start", None) => {
                    add_error(&mut errors, key, "Enter a whole number of 0 or more.")
                }
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(pagination)
        } else {
            Err(errors)
        }
    }

    /// The page size: the client's (0 for the largest), at most `size.max`, else
    /// `size.default`.
    pub fn limit(&self, size: PageSize) -> i64 {
        match self.limit {
            None => size.default.min(size.max),
            Some(0) => size.max,
            Some(limit) => limit.min(size.max),
        }
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
        let previous = (self.offset > 0).then(|| link(self.offset.saturating_sub(limit).max(0)));
        let after = self.offset.saturating_add(limit);
        let next = (after < count).then(|| link(after));
        (previous, next)
    }
}

/// The link to the keyset page after one that ended with object `last`, when the page was
/// full (`count` objects of `limit`): the same query with `start` set past it.
pub fn next_start(
    request: &HttpRequest,
    pairs: &[(String, String)],
    limit: i64,
    count: usize,
    last: Option<i64>,
) -> Option<String> {
    let last = last.filter(|_| i64::try_from(count).is_ok_and(|n| n >= limit))?;
    let set = [
        ("limit", limit.to_string()),
        ("start", last.saturating_add(1).to_string()),
    ];
    Some(absolute(request, &with_query(request, pairs, &set)))
}
