//! Diesel table definitions shared by both backends (see `migrations/`).

diesel::table! {
    site_settings (id) {
        id -> Integer,
        name -> Text,
        timezone -> Text,
        default_language -> Text,
        languages -> Text,
        copyright -> Text,
        social_links -> Text,
        app_links -> Text,
        min_app_version -> Nullable<Text>,
        updated_at -> Timestamp,
        description -> Text,
    }
}

diesel::table! {
    content_state (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sections (id) {
        id -> BigInt,
        slug -> Text,
        names -> Text,
        descriptions -> Text,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    authors (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        bio -> Text,
        avatar_url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        author_id -> Nullable<BigInt>,
        token_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        slug -> Text,
        lang -> Text,
        translation_group -> Nullable<BigInt>,
        section_id -> BigInt,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        featured -> Bool,
        word_count -> Integer,
        views -> BigInt,
        created_by -> Nullable<BigInt>,
        title -> Text,
        lead -> Text,
        cover_url -> Nullable<Text>,
        cover_caption -> Nullable<Text>,
        cover_credit -> Nullable<Text>,
        source -> Nullable<Text>,
        cover_media_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    article_bodies (article_id) {
        article_id -> BigInt,
        body_md -> Text,
        body_html -> Text,
        body_text -> Text,
    }
}

diesel::table! {
    article_authors (article_id, author_id) {
        article_id -> BigInt,
        author_id -> BigInt,
        position -> Integer,
        feed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    article_tags (article_id, tag_id) {
        article_id -> BigInt,
        tag_id -> BigInt,
        feed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(articles -> sections (section_id));
diesel::joinable!(article_bodies -> articles (article_id));
diesel::joinable!(article_authors -> articles (article_id));
diesel::joinable!(article_authors -> authors (author_id));
diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_tags -> tags (tag_id));
diesel::joinable!(users -> authors (author_id));

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family -> Text,
        token_hash -> Text,
        token_version -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    article_revisions (id) {
        id -> BigInt,
        article_id -> BigInt,
        number -> Integer,
        snapshot -> Text,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        kind -> Text,
        entity -> Text,
        entity_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    article_views_hourly (article_id, hour) {
        article_id -> BigInt,
        hour -> Timestamp,
        views -> BigInt,
    }
}

diesel::table! {
    media (id) {
        id -> BigInt,
        mime -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> BigInt,
        original_key -> Text,
        renditions -> Text,
        alt -> Text,
        caption -> Nullable<Text>,
        credit -> Nullable<Text>,
        focal_x -> Double,
        focal_y -> Double,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    article_gallery (article_id, position) {
        article_id -> BigInt,
        position -> Integer,
        media_id -> BigInt,
    }
}

diesel::table! {
    preview_links (id) {
        id -> BigInt,
        article_id -> BigInt,
        token_hash -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        description -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        disabled_reason -> Nullable<Text>,
        last_success_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        message_id -> Text,
        event -> Text,
        entity -> Text,
        entity_id -> BigInt,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        created_at -> Timestamp,
        first_attempt_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        at -> Timestamp,
        status -> Nullable<Integer>,
        latency_ms -> Integer,
        error -> Nullable<Text>,
        response -> Nullable<Text>,
    }
}

diesel::table! {
    redirects (id) {
        id -> BigInt,
        path -> Text,
        article_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    import_map (source, kind, source_id) {
        source -> Text,
        kind -> Text,
        source_id -> Text,
        target_id -> BigInt,
        digest -> Nullable<Text>,
    }
}

diesel::joinable!(article_gallery -> media (media_id));
diesel::joinable!(redirects -> articles (article_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(article_views_hourly -> articles (article_id));
diesel::joinable!(article_revisions -> articles (article_id));

diesel::allow_tables_to_appear_in_same_query!(
    site_settings,
    content_state,
    server_secrets,
    sections,
    authors,
    tags,
    users,
    articles,
    article_bodies,
    article_authors,
    article_tags,
    refresh_tokens,
    article_revisions,
    changes,
    article_views_hourly,
    media,
    article_gallery,
    preview_links,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    redirects,
    import_map,
);
