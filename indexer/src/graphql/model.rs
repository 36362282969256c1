//! What an entity of the schema is: its SQL source, its fields with the SQL
//! expression each reads, and the lists derived from other entities.

/// How a field's SQL value is typed, compared and shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// TEXT shown as is (`ID`, `Bytes`: lower-case hex; `String`).
    Text,
    /// An INTEGER shown as `Int`.
    Int,
    /// An INTEGER shown as a `BigInt` string.
    BigInt,
    /// An exact `BigDecimal` TEXT (from `u256_dec()`); compared and sorted by the
    /// REAL expression given, equality on the exact text.
    Decimal(&'static str),
    /// A REAL shown as a `BigDecimal` string.
    Real,
    /// A boolean (SQLite: 0 or 1) shown as `Boolean`.
    Bool,
    /// The id of another entity (named), shown as that entity. `hint` is an
    /// expression of this entity equal to the target's `hint` (a block number
    /// that narrows a transaction-hash lookup to one block).
    Ref {
        /// The entity referred to.
        target: &'static str,
        /// This side of the narrowing hint, if the target has one.
        hint: Option<&'static str>,
    },
}

/// One scalar or reference field.
#[derive(Debug)]
pub struct Field {
    /// GraphQL field name.
    pub name: &'static str,
    /// GraphQL type name (for a [`Kind::Ref`], the target entity).
    pub ty: &'static str,
    /// Whether the GraphQL type is nullable.
    pub nullable: bool,
    /// Typing of the SQL value.
    pub kind: Kind,
    /// The SQL expression over the entity's source.
    pub expr: &'static str,
}

/// A list derived from another entity's reference to this one
/// (`Pair.swaps`: the swaps whose `pair` is this pair).
#[derive(Debug)]
pub struct List {
    /// GraphQL field name.
    pub name: &'static str,
    /// The entity listed.
    pub target: &'static str,
    /// The target's [`Kind::Ref`] field pointing back here.
    pub by: &'static str,
}

/// One entity type: `name(id:)` and `plural(...)` on `Query`.
#[derive(Debug)]
pub struct Entity {
    /// GraphQL type name.
    pub name: &'static str,
    /// The single-entity query field.
    pub single: &'static str,
    /// The list query field.
    pub plural: &'static str,
    /// SQL FROM clause (with joins and aliases the expressions use).
    pub from: &'static str,
    /// A condition every row of the source must meet (`1` for none).
    pub base: &'static str,
    /// The id expression.
    pub id: &'static str,
    /// A narrowing expression other entities can pass with references.
    pub hint: Option<&'static str>,
    /// The order without `orderBy` and the tie-break after it: a cheap,
    /// indexed order (chain order for events).
    pub natural: &'static str,
    /// Scalar and reference fields, `id` first.
    pub fields: &'static [Field],
    /// Derived lists.
    pub lists: &'static [List],
}

impl Entity {
    /// A field by name.
    pub fn field(&self, name: &str) -> Option<&'static Field>
    where
        Self: 'static,
    {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Builds a [`Field`] (non-null).
pub const fn f(name: &'static str, ty: &'static str, kind: Kind, expr: &'static str) -> Field {
    Field {
        name,
        ty,
        nullable: false,
        kind,
        expr,
    }
}

/// Builds a nullable [`Field`].
pub const fn opt(name: &'static str, ty: &'static str, kind: Kind, expr: &'static str) -> Field {
    Field {
        name,
        ty,
        nullable: true,
        kind,
        expr,
    }
}

/// A reference to `target` (non-null).
pub const fn r(name: &'static str, target: &'static str, expr: &'static str) -> Field {
    f(name, target, Kind::Ref { target, hint: None }, expr)
}

/// A derived list.
pub const fn l(name: &'static str, target: &'static str, by: &'static str) -> List {
    List { name, target, by }
}
