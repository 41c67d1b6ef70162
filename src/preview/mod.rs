//! Draft preview links: an editor hands a front end (its "draft mode") a link that shows an
//! article as it is now, drafts included, without a bearer token, until the link expires or is
//! revoked. Previews are never cached, indexed, counted or listed anywhere public. The routes
//! are with the other editorial actions (`articles::editorial::preview`).

pub mod dto;
pub mod model;
pub mod queries;
