//! posbridge's client: a typed async client over reqwest for every endpoint of CONTRACT §5–§7 in
//! JSON, DataContract XML or BSON, the Qimen clerk client with each sign method, and
//! `verify_callback` for receivers of §9's callbacks.
