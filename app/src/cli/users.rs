//! `netbox createsuperuser`: the first account, interactively or from options (for scripts).

use crate::auth::tokens::{self, NewToken};
use crate::auth::users::{self, NewUser};
use crate::auth::{AuthError, passwords};
use crate::config::Config;
use crate::db::migrations;
use crate::plugins::Contributions;
use std::io::{BufRead, IsTerminal, Write};

/// What `createsuperuser` was given.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SuperuserArgs {
    /// User name (asked for when missing and a terminal is attached).
    #[arg(long)]
    pub username: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// Password (prefer the NETBOX_SUPERUSER_PASSWORD variable: options show in `ps`).
    #[arg(long, env = "NETBOX_SUPERUSER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Also create an API token (v2, write-enabled) and print it.
    #[arg(long)]
    pub token: bool,
    /// Never prompt: fail when something is missing.
    #[arg(long)]
    pub no_input: bool,
}

fn prompt(label: &str) -> Result<String, String> {
    eprint!("{label}: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| format!("cannot read {label}: {error}"))?;
    Ok(line.trim().to_string())
}

/// Fills what is missing from the terminal (or fails naming it).
fn complete(args: &SuperuserArgs) -> Result<(String, String, String), String> {
    let interactive = !args.no_input && std::io::stdin().is_terminal();
    let missing = |what: &str| {
        format!("--{what} is required (no terminal to ask on; or pass it in the options)")
    };
    let username = match &args.username {
        Some(name) => name.clone(),
        None if interactive => prompt("Username")?,
        None => return Err(missing("username")),
    };
    let email = match &args.email {
        Some(email) => email.clone(),
        None if interactive => prompt("Email address (optional)")?,
        None => String::new(),
    };
    let password = match &args.password {
        Some(password) => password.clone(),
        None if interactive => loop {
            let first = rpassword::prompt_password("Password: ")
                .map_err(|error| format!("cannot read the password: {error}"))?;
            if let Err(problem) = passwords::check_strength(&first) {
                eprintln!("{problem}");
                continue;
            }
            let again = rpassword::prompt_password("Password (again): ")
                .map_err(|error| format!("cannot read the password: {error}"))?;
            if first == again {
                break first;
            }
            eprintln!("The passwords do not match.");
        },
        None => {
            return Err(
                "--password or NETBOX_SUPERUSER_PASSWORD is required (no terminal to ask on)"
                    .to_string(),
            );
        }
    };
    Ok((username, email, password))
}

/// Creates the superuser (and a token); returns the lines to print.
pub fn create_superuser(
    config: &Config,
    contributions: &Contributions,
    args: &SuperuserArgs,
) -> Result<Vec<String>, String> {
    let (username, email, password) = complete(args)?;
    actix_web::rt::System::new().block_on(async {
        let database = migrations::prepare(contributions, config).await?;
        let new = NewUser {
            username: &username,
            email: &email,
            password: &password,
            is_superuser: true,
        };
        let described = |error: AuthError| error.to_string();
        let user = users::create(&database, &new).await.map_err(described)?;
        let mut lines = vec![format!("Superuser `{}` created.", user.username)];
        if args.token {
            let new = NewToken {
                description: "created by createsuperuser".to_string(),
                ..NewToken::default()
            };
            let created = tokens::create(&database, user.id, &new, config.security.pepper())
                .await
                .map_err(described)?;
            lines.push(format!(
                "API token (shown once; send it as `Authorization: Bearer <token>`): {}",
                created.plaintext
            ));
        }
        database.close().await;
        Ok(lines)
    })
}
