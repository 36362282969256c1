//! The dynamic schema: one object type, `_filter` input and `_orderBy` enum
//! per entity, generated from [`super::entities::ENTITIES`], plus `_meta`.

use async_graphql::Value;
use async_graphql::dynamic::{
    Enum, Field, FieldFuture, FieldValue, InputObject, InputValue, Object, Scalar, Schema,
    SchemaError, TypeRef,
};

use super::entities::ENTITIES;
use super::model::{Entity, Kind};
use super::resolve::{self, Reader};
use super::sql::OPS;
use super::{COMPLEXITY, DEPTH};

/// The `where` input type of an entity.
fn filter_type(e: &Entity) -> InputObject {
    let name = format!("{}_filter", e.name);
    let mut input = InputObject::new(&name);
    for f in e.fields {
        let ty = match f.kind {
            Kind::Ref { .. } => "String",
            _ => f.ty,
        };
        input = input
            .field(InputValue::new(f.name, TypeRef::named(ty)))
            .field(InputValue::new(
                format!("{}_not", f.name),
                TypeRef::named(ty),
            ));
        for (suffix, op) in OPS {
            if *suffix == "_not" || !op.applies(f.kind) {
                continue;
            }
            let t = match op {
                super::sql::Op::In(_) => TypeRef::named_nn_list(ty),
                _ => TypeRef::named(ty),
            };
            input = input.field(InputValue::new(format!("{}{suffix}", f.name), t));
        }
        if let Kind::Ref { target, .. } = f.kind {
            input = input.field(InputValue::new(
                format!("{}_", f.name),
                TypeRef::named(format!("{target}_filter")),
            ));
        }
    }
    input
        .field(InputValue::new("and", TypeRef::named_list(&name)))
        .field(InputValue::new("or", TypeRef::named_list(&name)))
}

fn order_enum(e: &Entity) -> Enum {
    Enum::new(format!("{}_orderBy", e.name)).items(e.fields.iter().map(|f| f.name))
}

/// The arguments of a list field.
fn list_field(name: &str, e: &'static Entity, resolver: Field) -> Field {
    let _ = name;
    resolver
        .argument(InputValue::new("skip", TypeRef::named(TypeRef::INT)).default_value(0))
        .argument(InputValue::new("first", TypeRef::named(TypeRef::INT)).default_value(100))
        .argument(InputValue::new(
            "orderBy",
            TypeRef::named(format!("{}_orderBy", e.name)),
        ))
        .argument(InputValue::new(
            "orderDirection",
            TypeRef::named("OrderDirection"),
        ))
        .argument(InputValue::new(
            "where",
            TypeRef::named(format!("{}_filter", e.name)),
        ))
}

fn object(e: &'static Entity) -> Object {
    let mut o = Object::new(e.name);
    for f in e.fields {
        let ty = if f.nullable {
            TypeRef::named(f.ty)
        } else {
            TypeRef::named_nn(f.ty)
        };
        o = o.field(match f.kind {
            Kind::Ref { .. } => Field::new(f.name, ty, move |ctx| {
                FieldFuture::new(async move { resolve::reference(&ctx, f) })
            }),
            _ => Field::new(f.name, ty, move |ctx| {
                FieldFuture::new(
                    async move { Ok(Some(FieldValue::value(resolve::scalar(&ctx, f)?))) },
                )
            }),
        });
    }
    for l in e.lists {
        let Some(t) = super::entities::entity(l.target) else {
            continue;
        };
        let (target, by) = (l.target, l.by);
        let field = Field::new(l.name, TypeRef::named_nn_list_nn(target), move |ctx| {
            FieldFuture::new(async move { Ok(Some(resolve::derived(&ctx, target, by)?)) })
        });
        o = o.field(list_field(l.name, t, field));
    }
    o
}

/// `Block_height`: accepted so clients that send it work; only the latest
/// block can be answered.
fn block_arg() -> InputValue {
    InputValue::new("block", TypeRef::named("Block_height"))
}

fn meta_types() -> [Object; 2] {
    let block = Object::new("_Block_")
        .field(Field::new(
            "number",
            TypeRef::named_nn(TypeRef::INT),
            |ctx| {
                FieldFuture::new(
                    async move { Ok(Some(FieldValue::value(meta_value(&ctx, "number")?))) },
                )
            },
        ))
        .field(Field::new("hash", TypeRef::named("Bytes"), |ctx| {
            FieldFuture::new(async move { Ok(Some(FieldValue::value(meta_value(&ctx, "hash")?))) })
        }))
        .field(Field::new(
            "timestamp",
            TypeRef::named(TypeRef::INT),
            |ctx| {
                FieldFuture::new(async move {
                    Ok(Some(FieldValue::value(meta_value(&ctx, "timestamp")?)))
                })
            },
        ));
    let meta = Object::new("_Meta_")
        .field(Field::new("block", TypeRef::named_nn("_Block_"), |_| {
            FieldFuture::new(async move { Ok(Some(FieldValue::owned_any(()))) })
        }))
        .field(Field::new(
            "deployment",
            TypeRef::named_nn(TypeRef::STRING),
            |_| FieldFuture::new(async move { Ok(Some(FieldValue::value("tidepool"))) }),
        ))
        .field(Field::new(
            "hasIndexingErrors",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            |_| FieldFuture::new(async move { Ok(Some(FieldValue::value(false))) }),
        ));
    [block, meta]
}

fn meta_value(
    ctx: &async_graphql::dynamic::ResolverContext<'_>,
    what: &str,
) -> async_graphql::Result<Value> {
    let head = super::head(&ctx.ctx.data::<Reader>()?.conn)?;
    Ok(match what {
        "number" => Value::from(head.number),
        "hash" => Value::from(head.hash),
        _ => head.timestamp.map(Value::from).unwrap_or(Value::Null),
    })
}

/// Builds the schema with the depth and complexity limits.
pub fn build() -> Result<Schema, SchemaError> {
    let mut query = Object::new("Query");
    let mut builder_types: Vec<async_graphql::dynamic::Type> = Vec::new();
    for e in ENTITIES {
        let single = Field::new(e.single, TypeRef::named(e.name), move |ctx| {
            FieldFuture::new(async move { resolve::root_single(&ctx, e) })
        })
        .argument(InputValue::new("id", TypeRef::named_nn(TypeRef::ID)))
        .argument(block_arg())
        .argument(InputValue::new(
            "subgraphError",
            TypeRef::named("_SubgraphErrorPolicy_"),
        ));
        let plural = Field::new(e.plural, TypeRef::named_nn_list_nn(e.name), move |ctx| {
            FieldFuture::new(async move { Ok(Some(resolve::root_list(&ctx, e)?)) })
        })
        .argument(block_arg())
        .argument(InputValue::new(
            "subgraphError",
            TypeRef::named("_SubgraphErrorPolicy_"),
        ));
        query = query.field(single).field(list_field(e.plural, e, plural));
        builder_types.push(object(e).into());
        builder_types.push(filter_type(e).into());
        builder_types.push(order_enum(e).into());
    }
    query = query.field(
        Field::new("_meta", TypeRef::named("_Meta_"), |ctx| {
            FieldFuture::new(async move {
                super::check_block(&ctx)?;
                Ok(Some(FieldValue::owned_any(())))
            })
        })
        .argument(block_arg()),
    );
    let mut builder = Schema::build("Query", None, None)
        .register(Scalar::new("BigInt").description("An integer of any size, as a decimal string"))
        .register(Scalar::new("BigDecimal").description("A decimal number, as a string"))
        .register(Scalar::new("Bytes").description("Lower-case 0x-prefixed hex"))
        .register(Enum::new("OrderDirection").item("asc").item("desc"))
        .register(
            Enum::new("_SubgraphErrorPolicy_")
                .item("allow")
                .item("deny"),
        )
        .register(
            InputObject::new("Block_height")
                .field(InputValue::new("hash", TypeRef::named("Bytes")))
                .field(InputValue::new("number", TypeRef::named(TypeRef::INT)))
                .field(InputValue::new("number_gte", TypeRef::named(TypeRef::INT))),
        )
        .limit_depth(DEPTH)
        .limit_complexity(COMPLEXITY);
    for t in meta_types() {
        builder = builder.register(t);
    }
    for t in builder_types {
        builder = builder.register(t);
    }
    builder.register(query).finish()
}
