CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

CREATE FUNCTION public.group_members_added() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO group_member_changes (group_id, user_id, after_seq)
  VALUES (NEW.group_id, NEW.user_id, (SELECT COALESCE(MAX(seq), 0) FROM directory_changes));
  RETURN NULL;
END;
$$;

CREATE FUNCTION public.group_members_removed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  INSERT INTO group_member_changes (group_id, user_id, after_seq)
  VALUES (OLD.group_id, OLD.user_id, (SELECT COALESCE(MAX(seq), 0) FROM directory_changes));
  RETURN NULL;
END;
$$;

CREATE TABLE public.admin_accounts (
    id text NOT NULL,
    user_name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT admin_accounts_role_check CHECK ((role = ANY (ARRAY['Administrator'::text, 'ApplicationAdministrator'::text, 'ReportsReader'::text])))
);

CREATE TABLE public.api_tokens (
    id text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL,
    token_hash text NOT NULL,
    created_by_json text NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    last_used_at text,
    last_used_from text,
    revoked_at text,
    CONSTRAINT api_tokens_role_check CHECK ((role = ANY (ARRAY['Administrator'::text, 'ApplicationAdministrator'::text, 'ReportsReader'::text])))
);

CREATE TABLE public.app_role_assignments (
    id text NOT NULL,
    service_principal_id text NOT NULL,
    principal_id text NOT NULL,
    principal_type text NOT NULL,
    app_role_id text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT app_role_assignments_principal_type_check CHECK ((principal_type = ANY (ARRAY['User'::text, 'Group'::text])))
);

CREATE TABLE public.audit_events (
    id text NOT NULL,
    activity_date_time text NOT NULL,
    category text NOT NULL,
    activity_display_name text NOT NULL,
    result text NOT NULL,
    target_id text,
    body text NOT NULL,
    initiated_by text,
    logged_by_service text,
    target_display_name text,
    seq bigint NOT NULL
);

ALTER TABLE public.audit_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.bulk_operation_results (
    operation_id text NOT NULL,
    seq bigint NOT NULL,
    line integer NOT NULL,
    column_name text,
    code text NOT NULL,
    reason text NOT NULL,
    row_key text
);

CREATE TABLE public.bulk_operations (
    id text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    file_name text NOT NULL,
    requested_by_json text NOT NULL,
    total bigint DEFAULT 0 NOT NULL,
    validated bigint DEFAULT 0 NOT NULL,
    processed bigint DEFAULT 0 NOT NULL,
    succeeded bigint DEFAULT 0 NOT NULL,
    failed bigint DEFAULT 0 NOT NULL,
    error_code text,
    error_message text,
    created_at text NOT NULL,
    started_at text,
    completed_at text,
    CONSTRAINT bulk_operations_kind_check CHECK ((kind = ANY (ARRAY['create'::text, 'update'::text, 'delete'::text]))),
    CONSTRAINT bulk_operations_status_check CHECK ((status = ANY (ARRAY['notStarted'::text, 'validating'::text, 'running'::text, 'succeeded'::text, 'completedWithErrors'::text, 'failed'::text])))
);

CREATE TABLE public.connector_memberships (
    job_id text NOT NULL,
    group_source_id text NOT NULL,
    member_source_id text NOT NULL,
    member_target_id text NOT NULL
);

CREATE TABLE public.connector_objects (
    job_id text NOT NULL,
    source_id text NOT NULL,
    object_type text NOT NULL,
    target_id text,
    state text NOT NULL,
    last_exported text DEFAULT '{}'::text NOT NULL,
    in_scope integer DEFAULT 1 NOT NULL,
    updated_at text NOT NULL,
    CONSTRAINT connector_objects_state_check CHECK ((state = ANY (ARRAY['pendingCreate'::text, 'linked'::text, 'disabled'::text, 'deleted'::text])))
)
WITH (fillfactor='70');

CREATE TABLE public.cycle_preview_objects (
    preview_id text NOT NULL,
    seq bigint NOT NULL,
    object_type text NOT NULL,
    source_id text NOT NULL,
    action text NOT NULL,
    search_text text NOT NULL,
    object_json text NOT NULL
);

CREATE TABLE public.cycle_previews (
    id text NOT NULL,
    job_id text NOT NULL,
    status text NOT NULL,
    worker_id text,
    requested_by_json text NOT NULL,
    cycle_kind text,
    config_hash text,
    watermark_json text,
    up_to bigint,
    counts_json text NOT NULL,
    progress_json text,
    error_code text,
    error_message text,
    created_at text NOT NULL,
    started_at text,
    completed_at text,
    run_at text,
    run_by_json text,
    run_changed bigint,
    CONSTRAINT cycle_previews_cycle_kind_check CHECK ((cycle_kind = ANY (ARRAY['Initial'::text, 'Incremental'::text]))),
    CONSTRAINT cycle_previews_status_check CHECK ((status = ANY (ARRAY['running'::text, 'succeeded'::text, 'failed'::text])))
);

CREATE TABLE public.cycles (
    id text NOT NULL,
    job_id text NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    began_at text NOT NULL,
    ended_at text,
    counts_json text DEFAULT '{}'::text NOT NULL,
    error_json text,
    worker_id text,
    seq bigint NOT NULL,
    CONSTRAINT cycles_kind_check CHECK ((kind = ANY (ARRAY['Initial'::text, 'Incremental'::text]))),
    CONSTRAINT cycles_state_check CHECK ((state = ANY (ARRAY['Running'::text, 'Succeeded'::text, 'Failed'::text, 'EntryLevelErrors'::text])))
);

ALTER TABLE public.cycles ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.cycles_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.directory_changes (
    seq bigint NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    change_type text NOT NULL,
    changed_at text NOT NULL,
    CONSTRAINT directory_changes_object_type_check CHECK ((object_type = ANY (ARRAY['user'::text, 'group'::text])))
);

ALTER TABLE public.directory_changes ALTER COLUMN seq ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.directory_changes_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.directory_extension_app (
    id bigint NOT NULL,
    app_id text NOT NULL,
    CONSTRAINT directory_extension_app_id_check CHECK ((id = 1))
);

ALTER TABLE public.directory_extension_app ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.directory_extension_app_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.directory_extension_properties (
    id text NOT NULL,
    name text NOT NULL,
    data_type text NOT NULL,
    is_multi_valued integer DEFAULT 0 NOT NULL,
    target_objects text DEFAULT '["User"]'::text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT directory_extension_properties_data_type_check CHECK ((data_type = ANY (ARRAY['String'::text, 'Integer'::text, 'Boolean'::text, 'DateTime'::text])))
);

CREATE TABLE public.directory_groups (
    id text NOT NULL,
    display_name text NOT NULL,
    description text,
    mail_nickname text,
    security_enabled integer DEFAULT 1 NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    change_seq bigint DEFAULT 0 NOT NULL,
    seq bigint NOT NULL
);

ALTER TABLE public.directory_groups ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.directory_groups_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.directory_users (
    id text NOT NULL,
    user_principal_name text NOT NULL,
    display_name text NOT NULL,
    given_name text,
    surname text,
    mail text,
    mail_nickname text,
    department text,
    job_title text,
    employee_id text,
    account_enabled integer DEFAULT 1 NOT NULL,
    manager_id text,
    extension_attributes text DEFAULT '{}'::text NOT NULL,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    deleted_at text,
    change_seq bigint DEFAULT 0 NOT NULL,
    seq bigint NOT NULL
);

ALTER TABLE public.directory_users ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.directory_users_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.escrows (
    job_id text NOT NULL,
    source_id text NOT NULL,
    object_type text NOT NULL,
    action text NOT NULL,
    error_code text NOT NULL,
    reason text NOT NULL,
    attempts integer NOT NULL,
    first_failed_at text NOT NULL,
    last_failed_at text NOT NULL,
    next_attempt_at text NOT NULL,
    cycle_id text NOT NULL
);

CREATE TABLE public.group_member_changes (
    id bigint NOT NULL,
    group_id text NOT NULL,
    user_id text NOT NULL,
    after_seq bigint NOT NULL
);

ALTER TABLE public.group_member_changes ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.group_member_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.group_member_groups (
    group_id text NOT NULL,
    member_group_id text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT group_member_groups_check CHECK ((group_id <> member_group_id))
);

CREATE TABLE public.group_members (
    group_id text NOT NULL,
    user_id text NOT NULL,
    created_at text NOT NULL
);

CREATE TABLE public.on_demand_requests (
    id text NOT NULL,
    job_id text NOT NULL,
    service_principal_id text NOT NULL,
    rule_id text NOT NULL,
    subjects_json text NOT NULL,
    requested_by_json text NOT NULL,
    status text NOT NULL,
    worker_id text,
    results_json text,
    error_code text,
    error_message text,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    started_at text,
    completed_at text,
    CONSTRAINT on_demand_requests_status_check CHECK ((status = ANY (ARRAY['Pending'::text, 'Running'::text, 'Succeeded'::text, 'Failed'::text, 'Expired'::text])))
);

CREATE TABLE public.provisioning_events (
    id text NOT NULL,
    activity_date_time text NOT NULL,
    job_id text NOT NULL,
    cycle_id text NOT NULL,
    change_id text NOT NULL,
    service_principal_id text NOT NULL,
    action text NOT NULL,
    status text NOT NULL,
    source_id text NOT NULL,
    source_display_name text NOT NULL,
    target_id text NOT NULL,
    target_display_name text NOT NULL,
    body bytea NOT NULL,
    seq bigint NOT NULL
);

ALTER TABLE public.provisioning_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.provisioning_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.provisioning_jobs (
    id text NOT NULL,
    service_principal_id text NOT NULL,
    template_id text NOT NULL,
    status_code text NOT NULL,
    schedule_state text NOT NULL,
    interval_seconds integer NOT NULL,
    schema_json text NOT NULL,
    settings_json text DEFAULT '{}'::text NOT NULL,
    secrets_sealed text,
    status_json text DEFAULT '{}'::text NOT NULL,
    watermark bigint,
    next_run_at text,
    run_requested_at text,
    lease_owner text,
    lease_expires_at text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    config_hash text,
    cycle_checkpoint text,
    force_deletes integer DEFAULT 0 NOT NULL
);

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at text NOT NULL,
    checksum text
);

CREATE TABLE public.service_principals (
    id text NOT NULL,
    app_id text NOT NULL,
    display_name text NOT NULL,
    application_template_id text,
    app_roles text DEFAULT '[]'::text NOT NULL,
    notes text,
    created_at text NOT NULL
);

CREATE TABLE public.sessions (
    token_hash text NOT NULL,
    account_id text NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    last_seen_at text NOT NULL
);

CREATE TABLE public.target_checks (
    id text NOT NULL,
    job_id text NOT NULL,
    status text NOT NULL,
    initiated_by_json text NOT NULL,
    tenant_url text NOT NULL,
    findings_json text NOT NULL,
    requests bigint DEFAULT 0 NOT NULL,
    duration_ms bigint DEFAULT 0 NOT NULL,
    started_at text NOT NULL,
    completed_at text,
    seq bigint NOT NULL,
    CONSTRAINT target_checks_status_check CHECK ((status = ANY (ARRAY['running'::text, 'completed'::text, 'failed'::text])))
);

ALTER TABLE public.target_checks ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.target_checks_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

ALTER TABLE ONLY public.admin_accounts
    ADD CONSTRAINT admin_accounts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.app_role_assignments
    ADD CONSTRAINT app_role_assignments_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.app_role_assignments
    ADD CONSTRAINT app_role_assignments_sp_principal_role_key UNIQUE (service_principal_id, principal_id, app_role_id);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.audit_events
    ADD CONSTRAINT audit_events_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.bulk_operation_results
    ADD CONSTRAINT bulk_operation_results_pkey PRIMARY KEY (operation_id, seq);

ALTER TABLE ONLY public.bulk_operations
    ADD CONSTRAINT bulk_operations_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.connector_memberships
    ADD CONSTRAINT connector_memberships_pkey PRIMARY KEY (job_id, group_source_id, member_source_id);

ALTER TABLE ONLY public.connector_objects
    ADD CONSTRAINT connector_objects_pkey PRIMARY KEY (job_id, source_id);

ALTER TABLE ONLY public.cycle_preview_objects
    ADD CONSTRAINT cycle_preview_objects_pkey PRIMARY KEY (preview_id, seq);

ALTER TABLE ONLY public.cycle_previews
    ADD CONSTRAINT cycle_previews_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.cycles
    ADD CONSTRAINT cycles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.cycles
    ADD CONSTRAINT cycles_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.directory_changes
    ADD CONSTRAINT directory_changes_pkey PRIMARY KEY (seq);

ALTER TABLE ONLY public.directory_extension_app
    ADD CONSTRAINT directory_extension_app_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.directory_extension_properties
    ADD CONSTRAINT directory_extension_properties_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.directory_groups
    ADD CONSTRAINT directory_groups_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.directory_groups
    ADD CONSTRAINT directory_groups_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.directory_users
    ADD CONSTRAINT directory_users_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.directory_users
    ADD CONSTRAINT directory_users_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.escrows
    ADD CONSTRAINT escrows_pkey PRIMARY KEY (job_id, source_id);

ALTER TABLE ONLY public.group_member_changes
    ADD CONSTRAINT group_member_changes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.group_member_groups
    ADD CONSTRAINT group_member_groups_pkey PRIMARY KEY (group_id, member_group_id);

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_pkey PRIMARY KEY (group_id, user_id);

ALTER TABLE ONLY public.on_demand_requests
    ADD CONSTRAINT on_demand_requests_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.provisioning_events
    ADD CONSTRAINT provisioning_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.provisioning_events
    ADD CONSTRAINT provisioning_events_seq_key UNIQUE (seq);

ALTER TABLE ONLY public.provisioning_jobs
    ADD CONSTRAINT provisioning_jobs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.service_principals
    ADD CONSTRAINT service_principals_app_id_key UNIQUE (app_id);

ALTER TABLE ONLY public.service_principals
    ADD CONSTRAINT service_principals_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);

ALTER TABLE ONLY public.target_checks
    ADD CONSTRAINT target_checks_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.target_checks
    ADD CONSTRAINT target_checks_seq_key UNIQUE (seq);

CREATE UNIQUE INDEX admin_accounts_user_name_lower_key ON public.admin_accounts USING btree (lower(user_name));

CREATE INDEX api_tokens_created ON public.api_tokens USING btree (created_at);

CREATE INDEX app_role_assignments_by_type ON public.app_role_assignments USING btree (service_principal_id, principal_type, principal_id, app_role_id);

CREATE INDEX app_role_assignments_principal ON public.app_role_assignments USING btree (principal_id);

CREATE INDEX audit_events_initiated_by ON public.audit_events USING btree (initiated_by, activity_date_time DESC, id DESC);

CREATE INDEX audit_events_result ON public.audit_events USING btree (result, activity_date_time DESC, id DESC);

CREATE INDEX audit_events_service ON public.audit_events USING btree (logged_by_service, activity_date_time DESC, id DESC);

CREATE INDEX audit_events_target ON public.audit_events USING btree (target_id, activity_date_time DESC);

CREATE INDEX audit_events_target_name ON public.audit_events USING btree (target_display_name, activity_date_time DESC, id DESC);

CREATE INDEX audit_events_time ON public.audit_events USING btree (activity_date_time DESC, id DESC);

CREATE INDEX bulk_operations_created ON public.bulk_operations USING btree (created_at, id);

CREATE INDEX connector_memberships_member ON public.connector_memberships USING btree (job_id, member_source_id);

CREATE INDEX cycle_preview_objects_action ON public.cycle_preview_objects USING btree (preview_id, action, seq);

CREATE INDEX cycle_preview_objects_source ON public.cycle_preview_objects USING btree (preview_id, source_id);

CREATE INDEX cycle_previews_job ON public.cycle_previews USING btree (job_id, created_at);

CREATE INDEX cycle_previews_waiting ON public.cycle_previews USING btree (status, created_at) WHERE (worker_id IS NULL);

CREATE INDEX cycles_job ON public.cycles USING btree (job_id, began_at DESC);

CREATE INDEX directory_changes_object ON public.directory_changes USING btree (object_type, object_id, seq);

CREATE UNIQUE INDEX directory_extension_properties_name_lower_key ON public.directory_extension_properties USING btree (lower(name));

CREATE INDEX directory_groups_display_name ON public.directory_groups USING btree (lower(display_name), id);

CREATE INDEX directory_groups_mail_nickname ON public.directory_groups USING btree (lower(mail_nickname));

CREATE INDEX directory_users_deleted ON public.directory_users USING btree (deleted_at, id) WHERE (deleted_at IS NOT NULL);

CREATE INDEX directory_users_department ON public.directory_users USING btree (lower(department), lower(display_name), id);

CREATE INDEX directory_users_display_name ON public.directory_users USING btree (lower(display_name), id);

CREATE INDEX directory_users_employee_id ON public.directory_users USING btree (lower(employee_id));

CREATE INDEX directory_users_given_name ON public.directory_users USING btree (lower(given_name));

CREATE INDEX directory_users_job_title ON public.directory_users USING btree (lower(job_title));

CREATE INDEX directory_users_mail ON public.directory_users USING btree (lower(mail));

CREATE INDEX directory_users_manager ON public.directory_users USING btree (manager_id) WHERE (manager_id IS NOT NULL);

CREATE INDEX directory_users_search ON public.directory_users USING gin (lower(((((((((((((COALESCE(display_name, ''::text) || ' '::text) || COALESCE(user_principal_name, ''::text)) || ' '::text) || COALESCE(mail, ''::text)) || ' '::text) || COALESCE(employee_id, ''::text)) || ' '::text) || COALESCE(given_name, ''::text)) || ' '::text) || COALESCE(surname, ''::text)) || ' '::text) || COALESCE(mail_nickname, ''::text))) public.gin_trgm_ops);

CREATE INDEX directory_users_surname ON public.directory_users USING btree (lower(surname));

CREATE UNIQUE INDEX directory_users_user_principal_name_lower_key ON public.directory_users USING btree (lower(user_principal_name));

CREATE INDEX escrows_due ON public.escrows USING btree (job_id, next_attempt_at);

CREATE INDEX group_member_changes_group ON public.group_member_changes USING btree (group_id, after_seq);

CREATE INDEX group_member_groups_member ON public.group_member_groups USING btree (member_group_id);

CREATE INDEX group_members_user ON public.group_members USING btree (user_id);

CREATE INDEX on_demand_requests_job_time ON public.on_demand_requests USING btree (job_id, created_at);

CREATE INDEX on_demand_requests_pending ON public.on_demand_requests USING btree (status, created_at);

CREATE INDEX provisioning_events_action_time ON public.provisioning_events USING btree (action, activity_date_time, id);

CREATE INDEX provisioning_events_change ON public.provisioning_events USING btree (change_id);

CREATE INDEX provisioning_events_cycle ON public.provisioning_events USING btree (cycle_id, source_id);

CREATE INDEX provisioning_events_identity ON public.provisioning_events USING gin ((((((((source_display_name || chr(31)) || target_display_name) || chr(31)) || "left"(source_id, 8)) || chr(31)) || "left"(target_id, 8))) public.gin_trgm_ops);

CREATE INDEX provisioning_events_source ON public.provisioning_events USING btree (job_id, source_id);

CREATE INDEX provisioning_events_sp_time ON public.provisioning_events USING btree (service_principal_id, activity_date_time, id);

CREATE INDEX provisioning_events_status_time ON public.provisioning_events USING btree (status, activity_date_time, id);

CREATE INDEX provisioning_events_time ON public.provisioning_events USING btree (activity_date_time, id);

CREATE INDEX provisioning_jobs_due ON public.provisioning_jobs USING btree (schedule_state, next_run_at);

CREATE INDEX provisioning_jobs_sp ON public.provisioning_jobs USING btree (service_principal_id);

CREATE INDEX service_principals_display_name ON public.service_principals USING btree (lower(display_name), id);

CREATE INDEX sessions_account ON public.sessions USING btree (account_id);

CREATE INDEX target_checks_job ON public.target_checks USING btree (job_id, started_at, seq);

CREATE TRIGGER group_members_added AFTER INSERT ON public.group_members FOR EACH ROW EXECUTE FUNCTION public.group_members_added();

CREATE TRIGGER group_members_removed AFTER DELETE ON public.group_members FOR EACH ROW EXECUTE FUNCTION public.group_members_removed();

ALTER TABLE ONLY public.app_role_assignments
    ADD CONSTRAINT app_role_assignments_service_principal_id_fkey FOREIGN KEY (service_principal_id) REFERENCES public.service_principals(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.bulk_operation_results
    ADD CONSTRAINT bulk_operation_results_operation_id_fkey FOREIGN KEY (operation_id) REFERENCES public.bulk_operations(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.connector_memberships
    ADD CONSTRAINT connector_memberships_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.connector_objects
    ADD CONSTRAINT connector_objects_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.cycle_preview_objects
    ADD CONSTRAINT cycle_preview_objects_preview_id_fkey FOREIGN KEY (preview_id) REFERENCES public.cycle_previews(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.cycle_previews
    ADD CONSTRAINT cycle_previews_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.cycles
    ADD CONSTRAINT cycles_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.escrows
    ADD CONSTRAINT escrows_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.group_member_groups
    ADD CONSTRAINT group_member_groups_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.directory_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.group_member_groups
    ADD CONSTRAINT group_member_groups_member_group_id_fkey FOREIGN KEY (member_group_id) REFERENCES public.directory_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES public.directory_groups(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.group_members
    ADD CONSTRAINT group_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.directory_users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.on_demand_requests
    ADD CONSTRAINT on_demand_requests_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.provisioning_jobs
    ADD CONSTRAINT provisioning_jobs_service_principal_id_fkey FOREIGN KEY (service_principal_id) REFERENCES public.service_principals(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.admin_accounts(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.target_checks
    ADD CONSTRAINT target_checks_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.provisioning_jobs(id) ON DELETE CASCADE;
