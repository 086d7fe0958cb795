//! NetBox's containment filters on addresses and networks: `within`, `within_include` and
//! `contains` on a model's (first) network field, `parent` on its (first) address field, and
//! `family` and `mask_length` on whichever comes first. PostgreSQL answers them with its
//! network operators (`<<`, `<<=`, `>>=`), SQLite with the keys of
//! [`crate::db::network_keys`].

use crate::db::network_keys::{self, containing, key_column, range, sort_key};
use crate::db::schema::render::quoted;
use netbox_framework::ipnet::IpNet;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{Expr, ExprTrait, SimpleExpr, Value as SqlValue};

/// A containment filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetFilter {
    /// Networks inside the given one, not itself (`within=10.0.0.0/8`).
    Within,
    /// Networks inside the given one or equal to it.
    WithinInclude,
    /// Networks holding the given address or network (itself included).
    Contains,
    /// Addresses inside the given network (`parent=10.0.0.0/8`).
    Parent,
    /// Addresses or networks of IP version 4 or 6.
    Family,
    /// Addresses or networks with the given prefix length.
    MaskLength,
}

/// Every containment filter name, with what it does.
pub const NAMES: &[(&str, NetFilter)] = &[
    ("within", NetFilter::Within),
    ("within_include", NetFilter::WithinInclude),
    ("contains", NetFilter::Contains),
    ("parent", NetFilter::Parent),
    ("family", NetFilter::Family),
    ("mask_length", NetFilter::MaskLength),
];

/// The filter `name` on `schema` and the field it applies to, if the model has one (a field
/// of that name takes precedence).
pub fn resolve(schema: &'static ModelSchema, name: &str) -> Option<(NetFilter, &'static Field)> {
    if schema.field(name).is_some() {
        return None;
    }
    let (_, filter) = NAMES.iter().find(|(known, _)| *known == name)?;
    let mut networks = network_keys::network_fields(schema);
    let field = match filter {
        NetFilter::Within | NetFilter::WithinInclude | NetFilter::Contains => {
            networks.find(|field| field.kind == FieldKind::IpNetwork)
        }
        NetFilter::Parent => networks.find(|field| field.kind != FieldKind::IpNetwork),
        NetFilter::Family | NetFilter::MaskLength => networks.next(),
    }?;
    Some((*filter, field))
}

/// Every containment filter `schema` takes.
pub fn names(schema: &'static ModelSchema) -> Vec<(&'static str, NetFilter)> {
    NAMES
        .iter()
        .filter(|(name, _)| resolve(schema, name).is_some())
        .copied()
        .collect()
}

fn network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("“{text}” is not an IP network or address."))
}

fn text(value: String) -> Expr {
    Expr::val(SqlValue::String(Some(value)))
}

/// The condition of `filter` on `field` for one value.
pub fn condition(
    filter: NetFilter,
    field: &Field,
    value: &str,
    backend: Backend,
) -> Result<SimpleExpr, String> {
    let column = quoted(&field.column());
    let key = || Expr::cust(quoted(&key_column(field)));
    let cast = |value: String, ty: &'static str| text(value).cast_as(ty);
    Ok(match filter {
        NetFilter::Family => {
            let family = match value.trim() {
                "4" => 4,
                "6" => 6,
                other => return Err(format!("“{other}” is not an IP version (4 or 6).")),
            };
            match backend {
                Backend::Postgres => Expr::cust(format!("family({column})")).eq(family),
                Backend::Sqlite => {
                    Expr::cust(format!("substr({}, 1, 1)", quoted(&key_column(field))))
                        .eq(family.to_string())
                }
            }
        }
        NetFilter::MaskLength => {
            let length = value
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|length| *length <= 128)
                .ok_or_else(|| format!("“{value}” is not a prefix length (0 to 128)."))?;
            let sql = match backend {
                Backend::Postgres => format!("masklen({column})"),
                Backend::Sqlite => {
                    format!(
                        "CAST(substr({}, 34, 3) AS INTEGER)",
                        quoted(&key_column(field))
                    )
                }
            };
            Expr::cust(sql).eq(i64::from(length))
        }
        NetFilter::Within | NetFilter::WithinInclude | NetFilter::Parent => {
            let given = network(value)?.trunc();
            match backend {
                Backend::Postgres => {
                    let operator = if filter == NetFilter::Within {
                        "<<"
                    } else {
                        "<<="
                    };
                    let left = if filter == NetFilter::Parent {
                        format!("CAST(host({column}) AS INET)")
                    } else {
                        column
                    };
                    Expr::cust_with_exprs(
                        format!("{left} {operator} $1"),
                        [cast(given.to_string(), "CIDR")],
                    )
                }
                Backend::Sqlite => {
                    let (low, high) = match filter {
                        NetFilter::Parent => range(given),
                        _ => network_keys::subnets(given),
                    };
                    let inside = key().between(text(low), text(high));
                    match (filter, sort_key(&given.to_string())) {
                        (NetFilter::Within, Some(own)) => inside.and(key().ne(text(own))),
                        _ => inside,
                    }
                }
            }
        }
        NetFilter::Contains => {
            let given = network(value)?;
            match backend {
                Backend::Postgres => Expr::cust_with_exprs(
                    format!("{column} >>= $1"),
                    [cast(given.to_string(), "INET")],
                ),
                Backend::Sqlite => key().is_in(containing(given).into_iter().map(text)),
            }
        }
    })
}

/// The condition of an exact filter on an address field given without a prefix length
/// (`address=192.0.2.1`): the address with any prefix length, as NetBox matches it.
pub fn host_condition(field: &Field, value: &str, backend: Backend) -> Option<SimpleExpr> {
    if field.kind != FieldKind::IpInterface || value.contains('/') {
        return None;
    }
    let address = value.trim().parse::<std::net::IpAddr>().ok()?;
    Some(match backend {
        Backend::Postgres => Expr::cust_with_exprs(
            format!("host({}) = $1", quoted(&field.column())),
            [text(address.to_string())],
        ),
        Backend::Sqlite => {
            let key = sort_key(&address.to_string())?;
            let stem = &key[..33];
            Expr::cust(quoted(&key_column(field)))
                .between(text(format!("{stem}000")), text(format!("{stem}999")))
        }
    })
}
