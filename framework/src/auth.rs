//! Who is making a request, and what they may do: [`CurrentUser`] (an extractor), the
//! [`Access`] a route declares, the [`Denied`] error a handler returns to refuse, and the
//! [`CsrfToken`] every HTML form must carry.
//!
//! Permissions are named like NetBox's: `<app>.<action>_<model>`, e.g. `dcim.view_site` or
//! `animal_sounds.add_animal`; superusers hold every permission.
//!
//! ```
//! use netbox_framework::auth::{CurrentUser, Denied};
//! use netbox_framework::actix::HttpResponse;
//!
//! async fn feed(user: CurrentUser) -> Result<HttpResponse, Denied> {
//!     user.require("zoo.feed_animal")?;
//!     Ok(HttpResponse::Ok().body(format!("{} fed the animals", user.username().unwrap_or("?"))))
//! }
//! ```

use crate::extensions::Html;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use std::future::{Ready, ready};
use std::sync::Arc;

/// Answers permission questions for one user; implemented by the host (plugin tests may
/// implement it to build a [`CurrentUser`]).
///
/// ```
/// use netbox_framework::auth::{CurrentUser, Permissions, UserInfo};
/// use std::sync::Arc;
///
/// #[derive(Debug)]
/// struct ViewSites;
/// impl Permissions for ViewSites {
///     fn has_perm(&self, codename: &str) -> bool { codename == "dcim.view_site" }
/// }
/// let info = UserInfo { id: 7, username: "jane".into(), is_superuser: false, is_staff: false };
/// let jane = CurrentUser::new(Some(Arc::new(info)), Arc::new(ViewSites));
/// assert!(jane.has_perm("dcim.view_site") && !jane.has_perm("dcim.add_site"));
/// ```
pub trait Permissions: Send + Sync + std::fmt::Debug {
    /// Whether the permission `<app>.<action>_<model>` is held (on at least some objects).
    fn has_perm(&self, codename: &str) -> bool;
}

#[derive(Debug)]
struct NoPermissions;

impl Permissions for NoPermissions {
    fn has_perm(&self, _: &str) -> bool {
        false
    }
}

/// A signed-in user's account, as plugins see it.
///
/// ```
/// use netbox_framework::auth::CurrentUser;
///
/// fn greeting(user: &CurrentUser) -> String {
///     match user.user() {
///         Some(info) => format!("hello {} (#{})", info.username, info.id),
///         None => "hello stranger".to_string(),
///     }
/// }
/// assert_eq!(greeting(&CurrentUser::anonymous()), "hello stranger");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// Primary key (the value of `$user` in permission constraints).
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Whether the user bypasses every permission check.
    pub is_superuser: bool,
    /// Whether the user is staff (NetBox compatibility).
    pub is_staff: bool,
}

/// The user making the current request: signed in (by session or API token) or anonymous.
/// Use it as a handler argument; template extensions get it in their
/// [`SlotContext`](crate::extensions::SlotContext).
///
/// ```
/// use netbox_framework::auth::CurrentUser;
///
/// let nobody = CurrentUser::anonymous();
/// assert!(!nobody.is_authenticated());
/// assert!(!nobody.has_perm("dcim.view_site"));
/// ```
#[derive(Debug, Clone)]
pub struct CurrentUser {
    user: Option<Arc<UserInfo>>,
    permissions: Arc<dyn Permissions>,
}

impl CurrentUser {
    /// Nobody signed in, with no permission.
    pub fn anonymous() -> Self {
        CurrentUser {
            user: None,
            permissions: Arc::new(NoPermissions),
        }
    }

    /// Built by the host for each request.
    #[doc(hidden)]
    pub fn new(user: Option<Arc<UserInfo>>, permissions: Arc<dyn Permissions>) -> Self {
        CurrentUser { user, permissions }
    }

    /// The user of `request` (what the extractor gives), for code that holds the request:
    /// anonymous when the host set none.
    ///
    /// ```
    /// use netbox_framework::auth::CurrentUser;
    /// let request = netbox_framework::actix::test::TestRequest::default().to_http_request();
    /// assert!(!CurrentUser::of(&request).is_authenticated());
    /// ```
    pub fn of(request: &HttpRequest) -> Self {
        request
            .extensions()
            .get::<CurrentUser>()
            .cloned()
            .unwrap_or_else(CurrentUser::anonymous)
    }

    /// The account, when signed in.
    pub fn user(&self) -> Option<&UserInfo> {
        self.user.as_deref()
    }

    /// Whether someone is signed in.
    pub fn is_authenticated(&self) -> bool {
        self.user.is_some()
    }

    /// The user's name, when signed in.
    pub fn username(&self) -> Option<&str> {
        self.user.as_deref().map(|user| user.username.as_str())
    }

    /// Whether the user is a superuser.
    pub fn is_superuser(&self) -> bool {
        self.user.as_deref().is_some_and(|user| user.is_superuser)
    }

    /// Whether the user holds `codename` (`<app>.<action>_<model>`); always true for
    /// superusers.
    pub fn has_perm(&self, codename: &str) -> bool {
        self.is_superuser() || self.permissions.has_perm(codename)
    }

    /// Whether the user holds every one of `codenames`.
    pub fn has_perms<S: AsRef<str>>(&self, codenames: &[S]) -> bool {
        codenames
            .iter()
            .all(|codename| self.has_perm(codename.as_ref()))
    }

    /// `Ok` when the user holds `codename`, else the [`Denied`] to return.
    pub fn require(&self, codename: &str) -> Result<(), Denied> {
        if self.has_perm(codename) {
            Ok(())
        } else if self.is_authenticated() {
            Err(Denied::Forbidden)
        } else {
            Err(Denied::SignInRequired)
        }
    }

    /// Whether the user may use a route declaring `access`.
    pub fn may(&self, access: &Access) -> Result<(), Denied> {
        let allowed = match access {
            Access::Public => return Ok(()),
            Access::SignedIn => self.is_authenticated(),
            Access::Permissions(codenames) => self.is_authenticated() && self.has_perms(codenames),
            Access::Superuser => self.is_superuser(),
        };
        match (allowed, self.is_authenticated()) {
            (true, _) => Ok(()),
            (false, true) => Err(Denied::Forbidden),
            (false, false) => Err(Denied::SignInRequired),
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(CurrentUser::of(request)))
    }
}

/// Who may use a route (see [`Routes::permission`](crate::routes::Routes::permission)).
///
/// ```
/// use netbox_framework::auth::{Access, CurrentUser, Denied};
///
/// let nobody = CurrentUser::anonymous();
/// assert_eq!(Access::default(), Access::SignedIn);
/// assert_eq!(nobody.may(&Access::Public), Ok(()));
/// assert_eq!(nobody.may(&Access::Superuser), Err(Denied::SignInRequired));
/// assert_eq!(Access::Permissions(vec!["dcim.view_site".into()]).to_string(), "permission dcim.view_site");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Access {
    /// Any signed-in user (the default of every route).
    #[default]
    SignedIn,
    /// Signed-in users holding every listed permission.
    Permissions(Vec<String>),
    /// Superusers only.
    Superuser,
    /// Anyone, even when the operator requires sign-in (e.g. a webhook receiver): the handler
    /// is responsible for checking what it is sent.
    Public,
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Access::SignedIn => f.write_str("signed-in users"),
            Access::Permissions(codenames) => write!(f, "permission {}", codenames.join(" + ")),
            Access::Superuser => f.write_str("superusers"),
            Access::Public => f.write_str("anyone (public)"),
        }
    }
}

/// A refusal: the request needs a signed-in user, or one with more permissions. The host
/// answers pages with a redirect to the sign-in page or a 403 page, and the API with 403
/// `{"detail": ...}`.
///
/// ```
/// use netbox_framework::actix::ResponseError;
/// use netbox_framework::auth::Denied;
///
/// assert_eq!(Denied::Forbidden.status_code().as_u16(), 403);
/// assert_eq!(Denied::SignInRequired.to_string(), "Authentication credentials were not provided.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Nobody is signed in.
    #[error("Authentication credentials were not provided.")]
    SignInRequired,
    /// The signed-in user lacks a permission.
    #[error("You do not have permission to perform this action.")]
    Forbidden,
}

impl ResponseError for Denied {
    fn status_code(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::Forbidden().json(serde_json::json!({ "detail": self.to_string() }))
    }
}

/// The CSRF token of the current request: every form that POSTs must carry it (as
/// [`CsrfToken::hidden_input`]), or the host refuses the form with 403.
///
/// ```
/// use netbox_framework::auth::CsrfToken;
///
/// let token = CsrfToken::new("abc");
/// assert_eq!(token.hidden_input().as_str(), r#"<input type="hidden" name="csrf_token" value="abc">"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrfToken(String);

impl CsrfToken {
    /// The form field carrying the token.
    pub const FIELD: &'static str = "csrf_token";
    /// The header carrying the token (for scripts posting JSON with the session cookie).
    pub const HEADER: &'static str = "X-CSRFToken";

    /// Built by the host for each request.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        CsrfToken(value.into())
    }

    /// The token.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// `<input type="hidden" name="csrf_token" value="...">`, for inside a `<form>`.
    pub fn hidden_input(&self) -> Html {
        Html::trusted(format!(
            r#"<input type="hidden" name="{}" value="{}">"#,
            Self::FIELD,
            Html::escape(&self.0).as_str()
        ))
    }
}

impl FromRequest for CsrfToken {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = request.extensions().get::<CsrfToken>().cloned();
        ready(token.ok_or_else(|| {
            actix_web::error::ErrorInternalServerError("no CSRF token: the host did not set one")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Only(&'static str);
    impl Permissions for Only {
        fn has_perm(&self, codename: &str) -> bool {
            codename == self.0
        }
    }

    fn user(superuser: bool) -> CurrentUser {
        let info = UserInfo {
            id: 1,
            username: "jane".into(),
            is_superuser: superuser,
            is_staff: false,
        };
        CurrentUser::new(Some(Arc::new(info)), Arc::new(Only("zoo.view_animal")))
    }

    #[test]
    fn access_rules() {
        let jane = user(false);
        assert_eq!(jane.may(&Access::SignedIn), Ok(()));
        assert_eq!(
            jane.may(&Access::Permissions(vec!["zoo.view_animal".into()])),
            Ok(())
        );
        assert_eq!(
            jane.may(&Access::Permissions(vec![
                "zoo.view_animal".into(),
                "zoo.add_animal".into()
            ])),
            Err(Denied::Forbidden)
        );
        assert_eq!(jane.may(&Access::Superuser), Err(Denied::Forbidden));
        assert_eq!(user(true).may(&Access::Superuser), Ok(()));
        let nobody = CurrentUser::anonymous();
        assert_eq!(nobody.may(&Access::SignedIn), Err(Denied::SignInRequired));
        assert_eq!(nobody.may(&Access::Public), Ok(()));
        assert_eq!(
            nobody.require("zoo.view_animal"),
            Err(Denied::SignInRequired)
        );
    }
}
