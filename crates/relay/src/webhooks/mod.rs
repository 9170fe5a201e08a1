//! Provider webhooks: each request is verified on its raw body before
//! anything is parsed or stored, then turned into events.
