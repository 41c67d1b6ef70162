//! `POST /articles/{ref}/views`, `POST /views`, `GET /views`, `GET /popular`: view beacons,
//! current counts and the most-read lists (counting itself is [`crate::counter`]).

pub mod dto;
pub mod queries;
pub mod routes;
