//! Shared plumbing for types whose canonical form is a single string.
//!
//! Deserialisation always goes back through the type's `parse`, so a value
//! read from disk or the wire is held to exactly the same rules as one typed
//! by a user; nothing can sneak past validation by arriving as JSON.

/// Implements `Serialize` (via `Display`), `Deserialize` and `FromStr` (both
/// via `parse`) for a type with `fn parse(&str) -> Result<Self, E>`.
macro_rules! impl_string_serde {
    ($ty:ty, $err:ty) => {
        impl ::std::str::FromStr for $ty {
            type Err = $err;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                <$ty>::parse(raw)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let raw = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                <$ty>::parse(&raw).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use impl_string_serde;
