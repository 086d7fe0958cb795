//! Migration `0003_rules_reference_prefixes` of plugin `access_lists`, written by `netbox makemigrations`: add column access_lists_accesslistrule.source_prefix_id, add column access_lists_accesslistrule.destination_prefix_id, drop column access_lists_accesslistrule.source_prefix, drop column access_lists_accesslistrule.destination_prefix.
//!
//! Edited by hand to keep the rules' networks: between adding the references and dropping
//! the text columns, each network a rule named becomes an IPAM prefix in the global table
//! (an existing one is reused) that the rule refers to; a text that is not a network is kept
//! in the rule's description instead (SQLite checks the characters only, so a network with
//! host bits set, `10.0.0.1/8`, becomes a prefix as it was typed).

#[allow(unused_imports)]
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
use netbox_framework::models::OnDelete;

/// The migration.
pub const MIGRATION: Migration = Migration::operations(
    "0003_rules_reference_prefixes",
    &[
        Operation::AddColumn {
            table: "access_lists_accesslistrule",
            column: Column::new("source_prefix_id", ColumnType::Integer)
                .null()
                .references("ipam_prefix", OnDelete::Protect),
        },
        Operation::AddColumn {
            table: "access_lists_accesslistrule",
            column: Column::new("destination_prefix_id", ColumnType::Integer)
                .null()
                .references("ipam_prefix", OnDelete::Protect),
        },
        Operation::Sql {
            sqlite: SQLITE,
            postgres: POSTGRES,
        },
        Operation::DropColumn {
            table: "access_lists_accesslistrule",
            column: "source_prefix",
        },
        Operation::DropColumn {
            table: "access_lists_accesslistrule",
            column: "destination_prefix",
        },
    ],
);

/// The rules' networks as prefixes (SQLite): a text of other characters than a network's, or
/// without a prefix length, goes to the rule's description.
const SQLITE: &str = "CREATE TEMPORARY TABLE access_lists_named AS
    SELECT DISTINCT network,
        network GLOB '*/*' AND network NOT GLOB '*[^0-9a-fA-F:./]*' AS valid
    FROM (SELECT trim(source_prefix) AS network FROM access_lists_accesslistrule
          UNION SELECT trim(destination_prefix) FROM access_lists_accesslistrule)
    WHERE network <> '';
INSERT INTO ipam_prefix (prefix, status, description, created, last_updated)
    SELECT network, 'active', '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM access_lists_named
    WHERE valid AND network NOT IN (SELECT prefix FROM ipam_prefix WHERE vrf_id IS NULL);
UPDATE access_lists_accesslistrule SET source_prefix_id =
    (SELECT min(id) FROM ipam_prefix WHERE vrf_id IS NULL AND prefix = trim(source_prefix))
    WHERE trim(source_prefix) IN (SELECT network FROM access_lists_named WHERE valid);
UPDATE access_lists_accesslistrule SET destination_prefix_id =
    (SELECT min(id) FROM ipam_prefix WHERE vrf_id IS NULL AND prefix = trim(destination_prefix))
    WHERE trim(destination_prefix) IN (SELECT network FROM access_lists_named WHERE valid);
UPDATE access_lists_accesslistrule
    SET description = substr(trim(description || ' (source network: ' || trim(source_prefix) || ')'), 1, 500)
    WHERE trim(source_prefix) IN (SELECT network FROM access_lists_named WHERE NOT valid);
UPDATE access_lists_accesslistrule
    SET description = substr(trim(description || ' (destination network: ' || trim(destination_prefix) || ')'), 1, 500)
    WHERE trim(destination_prefix) IN (SELECT network FROM access_lists_named WHERE NOT valid);
DROP TABLE access_lists_named";

/// The rules' networks as prefixes (PostgreSQL): a text that is not a network goes to the
/// rule's description.
const POSTGRES: &str = "DO $$
DECLARE
    given RECORD;
    found BIGINT;
BEGIN
    FOR given IN
        SELECT DISTINCT network FROM (
            SELECT trim(source_prefix) AS network FROM access_lists_accesslistrule
            UNION SELECT trim(destination_prefix) FROM access_lists_accesslistrule
        ) AS named WHERE network <> ''
    LOOP
        BEGIN
            SELECT min(id) INTO found FROM ipam_prefix
                WHERE vrf_id IS NULL AND prefix = CAST(given.network AS CIDR);
            IF found IS NULL THEN
                INSERT INTO ipam_prefix (prefix, status, description, created, last_updated)
                    VALUES (CAST(given.network AS CIDR), 'active', '', now(), now())
                    RETURNING id INTO found;
            END IF;
            UPDATE access_lists_accesslistrule SET source_prefix_id = found
                WHERE trim(source_prefix) = given.network;
            UPDATE access_lists_accesslistrule SET destination_prefix_id = found
                WHERE trim(destination_prefix) = given.network;
        EXCEPTION WHEN invalid_text_representation OR invalid_binary_representation OR data_exception THEN
            UPDATE access_lists_accesslistrule
                SET description = left(trim(description || ' (source network: ' || given.network || ')'), 500)
                WHERE trim(source_prefix) = given.network;
            UPDATE access_lists_accesslistrule
                SET description = left(trim(description || ' (destination network: ' || given.network || ')'), 500)
                WHERE trim(destination_prefix) = given.network;
        END;
    END LOOP;
END $$";
