//! References between models: [`ForeignKey`] (one object, a column) and [`ManyToMany`] (any
//! number, a join table).

use super::FieldKind;
use super::typed::{FieldType, Model};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// A reference to an object of model `M`, by id (a column `<field>_id`). Deleting the
/// referenced object is refused unless the field says `#[field(on_delete = "cascade")]` or
/// `"set_null"`.
///
/// ```
/// use netbox_framework::dcim::Site;
/// use netbox_framework::models::ForeignKey;
///
/// let site: ForeignKey<Site> = ForeignKey::new(7);
/// assert_eq!(site.id(), 7);
/// ```
pub struct ForeignKey<M> {
    id: i64,
    model: PhantomData<fn() -> M>,
}

impl<M> ForeignKey<M> {
    /// A reference to the object with `id`.
    pub const fn new(id: i64) -> Self {
        ForeignKey {
            id,
            model: PhantomData,
        }
    }

    /// The referenced object's id.
    pub const fn id(&self) -> i64 {
        self.id
    }
}

impl<M> Clone for ForeignKey<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for ForeignKey<M> {}

impl<M> PartialEq for ForeignKey<M> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<M> Eq for ForeignKey<M> {}

impl<M> std::hash::Hash for ForeignKey<M> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<M: Model> fmt::Debug for ForeignKey<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ForeignKey<{}>({})", M::KEY, self.id)
    }
}

impl<M: Model> FieldType for ForeignKey<M> {
    const KIND: FieldKind = FieldKind::ForeignKey { model: M::KEY };

    fn to_value(&self) -> Value {
        Value::from(self.id)
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        let id = match value {
            Value::Object(object) => object.get("id").and_then(Value::as_i64),
            value => value.as_i64(),
        };
        id.filter(|id| *id > 0)
            .map(ForeignKey::new)
            .ok_or_else(|| "expected the id of an object".to_string())
    }
}

/// References to any number of objects of model `M` (a join table; see
/// [`FieldKind::ManyToMany`]). Deleting an object on either side removes its links. The
/// field is optional: no references is an empty list.
///
/// ```
/// use netbox_framework::dcim::Device;
/// use netbox_framework::models::ManyToMany;
///
/// let watched: ManyToMany<Device> = ManyToMany::new([3, 1, 3]);
/// assert_eq!(watched.ids(), [1, 3]);
/// ```
pub struct ManyToMany<M> {
    ids: Vec<i64>,
    model: PhantomData<fn() -> M>,
}

impl<M> ManyToMany<M> {
    /// References to the objects with `ids` (sorted, each once).
    pub fn new(ids: impl IntoIterator<Item = i64>) -> Self {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        ManyToMany {
            ids,
            model: PhantomData,
        }
    }

    /// The referenced objects' ids, ascending.
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }
}

impl<M> Default for ManyToMany<M> {
    fn default() -> Self {
        ManyToMany::new([])
    }
}

impl<M> Clone for ManyToMany<M> {
    fn clone(&self) -> Self {
        ManyToMany::new(self.ids.iter().copied())
    }
}

impl<M> PartialEq for ManyToMany<M> {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

impl<M> Eq for ManyToMany<M> {}

impl<M: Model> fmt::Debug for ManyToMany<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ManyToMany<{}>({:?})", M::KEY, self.ids)
    }
}

impl<M: Model> FieldType for ManyToMany<M> {
    const KIND: FieldKind = FieldKind::ManyToMany { model: M::KEY };
    const OPTIONAL: bool = true;

    fn to_value(&self) -> Value {
        Value::Array(self.ids.iter().map(|id| Value::from(*id)).collect())
    }

    fn from_value(value: &Value) -> Result<Self, String> {
        let items = match value {
            Value::Array(items) => items,
            Value::Null => return Ok(ManyToMany::default()),
            _ => return Err("expected a list of object ids".to_string()),
        };
        items
            .iter()
            .map(|item| ForeignKey::<M>::from_value(item).map(|reference| reference.id()))
            .collect::<Result<Vec<i64>, String>>()
            .map(ManyToMany::new)
    }
}
