//! The labelled accuracy corpus, generated from a seed: generic credentials
//! and connection strings written in 38 file contexts, references and
//! placeholders in the same contexts, hard negatives (hashes, integrity
//! strings, public keys, ciphertext...), and every built-in rule's examples
//! and negative examples. Nothing secret-shaped is stored: every value comes
//! from the template expander.

use guard::rules::BUILTIN;
use guard::rules::template::Expander;
use guard::scan::checksum::Checksum;

/// Family of the generic assignment cases.
pub const GENERIC: &str = "generic";
/// Family of the connection-string cases.
pub const CONNECTION: &str = "connection-strings";
/// Family of the hard negatives.
pub const HARD_NEGATIVE: &str = "hard-negatives";

/// One labelled case: lines `first..=last` of `path`.
#[derive(Debug, Clone)]
pub struct Case {
    pub path: String,
    pub first: usize,
    pub last: usize,
    pub family: String,
    pub positive: bool,
    pub text: String,
}

/// The corpus: files and their labels.
#[derive(Debug, Default)]
pub struct Corpus {
    pub files: Vec<(String, String)>,
    pub cases: Vec<Case>,
}

/// A file being written: cases separated by a neutral line.
struct FileBuilder<'a> {
    corpus: &'a mut Corpus,
    path: String,
    text: String,
    line: usize,
    separator: &'static str,
}

impl FileBuilder<'_> {
    fn add(&mut self, family: &str, positive: bool, case: &str) {
        let case = case.trim_end_matches('\n');
        let lines = case.split('\n').count();
        self.corpus.cases.push(Case {
            path: self.path.clone(),
            first: self.line,
            last: self.line + lines - 1,
            family: family.to_string(),
            positive,
            text: case.to_string(),
        });
        self.text.push_str(case);
        self.text.push('\n');
        self.text.push_str(self.separator);
        self.text.push('\n');
        self.line += lines + self.separator.split('\n').count();
    }
}

impl Drop for FileBuilder<'_> {
    fn drop(&mut self) {
        let text = std::mem::take(&mut self.text);
        self.corpus.files.push((self.path.clone(), text));
    }
}

impl Corpus {
    fn file(&mut self, path: &str, separator: &'static str) -> FileBuilder<'_> {
        FileBuilder { corpus: self, path: path.to_string(), text: String::new(), line: 1, separator }
    }
}

/// What a credential slot holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Secret,
    Token,
    ApiKey,
}

/// Names of credential slots, as words (`db password`), per kind.
const NAMES: &[(Kind, &[&str])] = &[
    (Kind::Password, &["db", "password"]),
    (Kind::Password, &["smtp", "pass"]),
    (Kind::Password, &["admin", "passwd"]),
    (Kind::Password, &["redis", "password"]),
    (Kind::Password, &["keystore", "passphrase"]),
    (Kind::Secret, &["client", "secret"]),
    (Kind::Secret, &["jwt", "secret"]),
    (Kind::Token, &["auth", "token"]),
    (Kind::Token, &["access", "token"]),
    (Kind::ApiKey, &["api", "key"]),
    (Kind::ApiKey, &["signing", "key"]),
];

/// Value templates per kind: human-made passwords (punctuation, phrases
/// without spaces, low entropy per character) and machine-made secrets.
fn value_templates(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Password => &[
            "{{password}}",
            "{{word}}-{{word}}-{{word}}-{{digits:2}}",
            "{{word}}{{lower:3}}{{word}}{{word}}",
            "{{upper:1}}{{lower:5}}#{{digits:3}}&{{lower:3}}$",
            "{{alnum:16}}",
        ],
        Kind::Secret => &["{{alnum:32}}", "{{hex:40}}", "{{base64:43}}="],
        Kind::Token => &["{{alnum:40}}", "{{base64url:48}}", "{{hex:64}}"],
        Kind::ApiKey => &["{{hex:32}}", "{{base62:40}}", "{{uppernum:20}}"],
    }
}

fn snake(words: &[&str]) -> String {
    words.join("_")
}

fn upper(words: &[&str]) -> String {
    words.join("_").to_uppercase()
}

fn camel(words: &[&str]) -> String {
    let mut out = words[0].to_string();
    for word in &words[1..] {
        out.push_str(&word[..1].to_uppercase());
        out.push_str(&word[1..]);
    }
    out
}

fn pascal(words: &[&str]) -> String {
    let name = camel(words);
    name[..1].to_uppercase() + &name[1..]
}

/// Whether a bare value would be cut or changed by shell, env or YAML syntax.
fn needs_quotes(value: &str) -> bool {
    value.chars().any(|c| matches!(c, '#' | '$' | '&' | ';' | '\'' | '"' | ' ' | '`' | '!' | '*' | '%' | '@'))
}

/// A file context: where the file lives, the line between cases, and how a
/// key and value are written there.
struct Context {
    path: &'static str,
    separator: &'static str,
    render: fn(&[&str], &str) -> String,
    /// References and other non-secrets in this context's syntax.
    negatives: &'static [&'static str],
}

const CONTEXTS: &[Context] = &[
    Context {
        path: "app/.env",
        separator: "",
        render: |w, v| {
            if needs_quotes(v) { format!("{}=\"{v}\"", upper(w)) } else { format!("{}={v}", upper(w)) }
        },
        negatives: &[
            "DB_PASSWORD=${DB_PASSWORD}",
            "DB_PASSWORD=",
            "API_KEY=<your-api-key>",
            "AUTH_TOKEN=changeme",
        ],
    },
    Context {
        path: "deploy/env.sh",
        separator: "echo \"configuring\"",
        render: |w, v| format!("export {}='{v}'", upper(w)),
        negatives: &[
            "export DB_PASSWORD=\"$(vault kv get -field=password secret/db)\"",
            "export API_KEY=\"${API_KEY:?}\"",
        ],
    },
    Context {
        path: "config/settings.yaml",
        separator: "  enabled: true",
        render: |w, v| {
            if needs_quotes(v) { format!("  {}: \"{v}\"", snake(w)) } else { format!("  {}: {v}", snake(w)) }
        },
        negatives: &[
            "  db_password: \"{{ .Values.db.password }}\"",
            "  db_password: !vault |",
            "  client_secret: ENC[AES256_GCM,data:{{base64:24}},iv:{{base64:43}}=,tag:{{base64:22}}==,type:str]",
            "  password: required",
            "  auth_token: ${AUTH_TOKEN}",
        ],
    },
    Context {
        path: "docker-compose.yml",
        separator: "      LOG_LEVEL: info",
        render: |w, v| format!("      {}: \"{v}\"", upper(w)),
        negatives: &[
            "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password",
            "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}",
        ],
    },
    Context {
        path: "k8s/deployment.yaml",
        separator: "        - name: LOG_LEVEL\n          value: info",
        render: |w, v| format!("        - name: {}\n          value: \"{v}\"", upper(w)),
        negatives: &[
            "        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password",
        ],
    },
    Context {
        path: "config/appsettings.json",
        separator: "  \"Logging\": {},",
        render: |w, v| format!("  \"{}\": \"{v}\",", pascal(w)),
        negatives: &[
            "  \"Password\": \"\",",
            "  \"ApiKey\": \"<your-api-key>\",",
            "  \"ClientSecret\": \"${CLIENT_SECRET}\",",
        ],
    },
    Context {
        path: "config/app.toml",
        separator: "debug = false",
        render: |w, v| format!("{} = \"{v}\"", snake(w)),
        negatives: &["password = \"\"", "api_key = \"your_api_key_here\""],
    },
    Context {
        path: "config/app.ini",
        separator: "[section]",
        render: |w, v| format!("{} = {v}", snake(w)),
        negatives: &["password = %(DB_PASSWORD)s", "password ="],
    },
    Context {
        path: "src/main/resources/application.properties",
        separator: "server.port=8080",
        render: |w, v| format!("app.{}={v}", w.join(".")),
        negatives: &["spring.datasource.password=${DB_PASSWORD}", "app.api.key=${API_KEY:}"],
    },
    Context {
        path: "config/web.config",
        separator: "  <add key=\"Environment\" value=\"Production\" />",
        render: |w, v| format!("  <add key=\"{}\" value=\"{v}\" />", pascal(w)),
        negatives: &[
            "  <add key=\"PasswordMinLength\" value=\"12\" />",
            "  <add key=\"ApiKey\" value=\"\" />",
        ],
    },
    Context {
        path: "maven/settings.xml",
        separator: "    <id>releases</id>",
        render: |w, v| format!("    <{0}>{v}</{0}>", camel(w)),
        negatives: &[
            "    <password>${env.MAVEN_PASSWORD}</password>",
            "    <privateKey>${user.home}/.ssh/id_rsa</privateKey>",
        ],
    },
    Context {
        path: "infra/prod.tfvars",
        separator: "region = \"eu-west-1\"",
        render: |w, v| format!("{} = \"{v}\"", snake(w)),
        negatives: &["db_password = var.db_password", "api_key = data.aws_ssm_parameter.api_key.value"],
    },
    Context {
        path: "infra/variables.tf",
        separator: "",
        render: |w, v| format!("variable \"{}\" {{\n  type    = string\n  default = \"{v}\"\n}}", snake(w)),
        negatives: &["variable \"db_password\" {\n  type      = string\n  sensitive = true\n}"],
    },
    Context {
        path: "scripts/deploy.sh",
        separator: "set -euo pipefail",
        render: |w, v| format!("{}='{v}'", upper(w)),
        negatives: &["DB_PASSWORD=\"$1\"", "read -rs DB_PASSWORD", "if [ \"$password\" = \"\" ]; then"],
    },
    Context {
        path: "Makefile",
        separator: "\t@echo done",
        render: |w, v| format!("{} ?= {v}", upper(w)),
        negatives: &["DB_PASSWORD ?= $(shell pass show db)", "API_KEY := $(API_KEY)"],
    },
    Context {
        path: "Dockerfile",
        separator: "RUN apt-get update",
        render: |w, v| {
            if needs_quotes(v) {
                format!("ENV {}=\"{v}\"", upper(w))
            } else {
                format!("ENV {}={v}", upper(w))
            }
        },
        negatives: &["ARG DB_PASSWORD", "ENV DB_PASSWORD=${DB_PASSWORD}"],
    },
    Context {
        path: "public/config.php",
        separator: "// settings",
        render: |w, v| format!("${} = '{v}';", snake(w)),
        negatives: &["$db_password = getenv('DB_PASSWORD');", "$password = $_POST['password'];"],
    },
    Context {
        path: "public/wp-config.php",
        separator: "/** settings */",
        render: |w, v| format!("define('{}', '{v}');", upper(w)),
        negatives: &[
            "define('AUTH_KEY', 'put your unique phrase here');",
            "define('DB_PASSWORD', getenv('DB_PASSWORD'));",
        ],
    },
    Context {
        path: "app/settings.py",
        separator: "DEBUG = False",
        render: |w, v| format!("{} = \"{v}\"", upper(w)),
        negatives: &[
            "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]",
            "api_key = os.getenv(\"API_KEY\")",
            "def login(username: str, password: str) -> bool:",
            "password = getpass.getpass(\"Password: \")",
            "PASSWORD_FIELD = \"password\"",
            "token = request.headers.get(\"Authorization\")",
        ],
    },
    Context {
        path: "app/db.py",
        separator: "import psycopg2",
        render: |w, v| format!("conn = connect(host=\"db\", user=\"app\", {}=\"{v}\")", snake(w)),
        negatives: &[
            "conn = connect(host=\"db\", user=\"app\", password=password)",
            "conn = connect(password=settings.DB_PASSWORD)",
        ],
    },
    Context {
        path: "src/config.js",
        separator: "module.exports = {};",
        render: |w, v| format!("const {} = \"{v}\";", camel(w)),
        negatives: &[
            "const dbPassword = process.env.DB_PASSWORD;",
            "function login(username, password) {",
            "  password: z.string().min(8),",
            "const tokenRegex = /^ghp_[A-Za-z0-9]{36}$/;",
        ],
    },
    Context {
        path: "src/env.ts",
        separator: "export {};",
        render: |w, v| format!("export const {}: string = \"{v}\";", camel(w)),
        negatives: &["  password: string;", "export const apiKey: string = process.env.API_KEY ?? \"\";"],
    },
    Context {
        path: "internal/config/config.go",
        separator: "// config",
        render: |w, v| format!("\t{} := \"{v}\"", camel(w)),
        negatives: &["\tpassword := os.Getenv(\"DB_PASSWORD\")", "\tPassword string `json:\"password\"`"],
    },
    Context {
        path: "src/main/java/app/Config.java",
        separator: "    // config",
        render: |w, v| format!("    private static final String {} = \"{v}\";", upper(w)),
        negatives: &[
            "    @Value(\"${app.db.password}\") private String password;",
            "    String password = System.getenv(\"DB_PASSWORD\");",
        ],
    },
    Context {
        path: "src/App/Settings.cs",
        separator: "    // settings",
        render: |w, v| format!("    public const string {} = \"{v}\";", pascal(w)),
        negatives: &[
            "    public string Password { get; set; }",
            "    var password = Environment.GetEnvironmentVariable(\"DB_PASSWORD\");",
        ],
    },
    Context {
        path: "config/initializers/app.rb",
        separator: "# app",
        render: |w, v| format!("  {}: '{v}',", snake(w)),
        negatives: &[
            "  password: ENV['DB_PASSWORD'],",
            "  password: Rails.application.credentials.db_password,",
        ],
    },
    Context {
        path: "app/src/main/kotlin/Config.kt",
        separator: "// config",
        render: |w, v| format!("val {} = \"{v}\"", camel(w)),
        negatives: &["val password = System.getenv(\"DB_PASSWORD\")"],
    },
    Context {
        path: "src/config.rs",
        separator: "// config",
        render: |w, v| format!("const {}: &str = \"{v}\";", upper(w)),
        negatives: &[
            "const PASSWORD_MIN_LEN: usize = 12;",
            "let password = std::env::var(\"DB_PASSWORD\")?;",
        ],
    },
    Context {
        path: "scripts/deploy.ps1",
        separator: "Write-Host 'deploying'",
        render: |w, v| format!("${} = \"{v}\"", camel(w)),
        negatives: &["$password = Read-Host -AsSecureString", "$apiKey = $env:API_KEY"],
    },
    Context {
        path: "docs/setup.md",
        separator: "",
        render: |w, v| format!("    {}=\"{v}\"", upper(w)),
        negatives: &[
            "Set `DB_PASSWORD` to the password of the database user.",
            "| password | string | The password of the user |",
            "API_KEY=<your-api-key>",
        ],
    },
    Context {
        path: "logs/app.log",
        separator: "2024-05-01T10:00:00Z INFO request served",
        render: |w, v| format!("2024-05-01T10:00:01Z DEBUG connecting {}=\"{v}\" user=app", snake(w)),
        negatives: &[
            "2024-05-01T10:00:02Z WARN password=[REDACTED] user=app",
            "2024-05-01T10:00:03Z INFO token refreshed",
        ],
    },
    Context {
        path: "locales/fr.json",
        separator: "  \"title\": \"Bienvenue\",",
        render: |w, v| format!("  \"{}\": \"{v}\",", camel(w)),
        negatives: &["  \"password\": \"Mot de passe\",", "  \"passwordHint\": \"Au moins 8 caractères\","],
    },
    Context {
        path: "templates/login.html",
        separator: "<div class=\"row\"></div>",
        render: |w, v| format!("<input type=\"hidden\" name=\"{}\" value=\"{v}\">", snake(w)),
        negatives: &[
            "<input type=\"password\" name=\"password\" placeholder=\"Password\">",
            "<label for=\"password\">Passwort</label>",
        ],
    },
];

/// Generic credentials written in special syntaxes, one template each.
const SPECIAL_POSITIVES: &[(&str, &str)] = &[
    (".netrc", "machine api.acme-corp.io\n  login deploy\n  password {{alnum:24}}"),
    (".netrc", "machine git.acme-corp.io login ci password {{password}}"),
    (
        ".pypirc",
        "[internal]\nrepository = https://pypi.acme-corp.io/\nusername = deploy\npassword = {{password}}",
    ),
    (".git-credentials", "https://deploy:{{alnum:32}}@git.acme-corp.io"),
    ("scripts/api.sh", "curl -H \"Authorization: Bearer {{base64url:40}}\" https://api.acme-corp.io/v1/me"),
    ("scripts/api.sh", "curl -u admin:{{url_password}} https://ci.acme-corp.io/api/json"),
    ("scripts/api.sh", "curl -H \"X-Api-Key: {{hex:32}}\" https://api.acme-corp.io/v1/items"),
    ("scripts/backup.sh", "mysqldump -h db.internal -u backup -p{{password}} shop > shop.sql"),
    ("scripts/backup.sh", "pg_restore --password={{password}} --host db.internal dump.sql"),
    ("scripts/backup.sh", "sshpass -p '{{password}}' ssh deploy@10.0.0.5"),
    ("scripts/backup.sh", "docker login -u ci -p {{password}} registry.acme-corp.io"),
    ("db/migrations/001_users.sql", "CREATE USER app WITH PASSWORD '{{password}}';"),
    ("db/migrations/001_users.sql", "ALTER USER 'web'@'%' IDENTIFIED BY '{{password}}';"),
    ("ecs/task.json", "{\"name\": \"API_TOKEN\", \"value\": \"{{alnum:32}}\"}"),
    ("config/app.yaml", "password: {{word}}{{word}}{{word}}"),
    ("config/.env.production", "SMTP_PASSWORD={{word}}{{lower:4}}{{word}}"),
    (
        "k8s/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  DB_PASSWORD: {{base64_of:password}}",
    ),
    (
        "docker/config.json",
        "{\"auths\": {\"registry.acme-corp.io\": {\"auth\": \"{{base64_of:ci:(password)}}\"}}}",
    ),
];

/// Connection strings: URIs for many schemes, JDBC, ADO.NET, ODBC.
const CONNECTION_POSITIVES: &[&str] = &[
    "postgres://app:{{url_password}}@db.internal:5432/app",
    "postgresql+psycopg2://svc:{{alnum:20}}@10.0.0.5/prod",
    "mysql://web:{{url_password}}@mysql.prod:3306/shop",
    "mariadb://web:{{url_password}}@maria.prod:3306/shop",
    "mongodb://admin:{{url_password}}@mongo-0:27017,mongo-1:27017/?replicaSet=rs0",
    "mongodb+srv://api:{{alnum:16}}@cluster0.ab1cd.mongodb.net/app?retryWrites=true",
    "redis://default:{{url_password}}@redis-12345.cloud.acme-corp.io:12345",
    "rediss://:{{alnum:32}}@cache.prod:6380/0",
    "amqp://worker:{{url_password}}@rabbit.internal:5672/vhost",
    "amqps://worker:{{url_password}}@mq.acme-corp.io:5671",
    "mssql://sa2:{{url_password}}@sql01.acme-corp.io:1433/orders",
    "sqlserver://svc:{{url_password}}@sql02.acme-corp.io:1433",
    "oracle://scott:{{url_password}}@ora.internal:1521/ORCL",
    "ldaps://binduser:{{url_password}}@ldap.acme-corp.io:636",
    "ftp://uploader:{{url_password}}@ftp.acme-corp.io/incoming",
    "smtps://mailer:{{url_password}}@smtp.acme-corp.io:465",
    "https://deploy:{{alnum:24}}@nexus.acme-corp.io/repository/releases",
    "clickhouse://default:{{url_password}}@ch.internal:9000/metrics",
    "jdbc:postgresql://db:5432/app?user=app&password={{url_password}}&ssl=true",
    "jdbc:sqlserver://sql01:1433;databaseName=shop;user=web;password={{url_password}};encrypt=true",
    "jdbc:oracle:thin:scott/{{url_password}}@//ora.internal:1521/ORCL",
    "jdbc:mysql://db:3306/shop?user=web&password={{url_password}}",
    "Server=sql01;Database=Shop;User Id=web;Password={{password}};TrustServerCertificate=True",
    "Data Source=tcp:db.acme-corp.io,1433;Initial Catalog=app;User ID=app;Password={{password}};",
    "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.acme-corp.io,1433;Uid=app;Pwd={{password}};",
    "Host=pg.internal;Port=5432;Database=app;Username=app;Password={{password}}",
    "DefaultEndpointsProtocol=https;AccountName=acme{{lowernum:6}};AccountKey={{base64:86}}==;EndpointSuffix=core.windows.net",
];

/// Connection strings without a secret.
const CONNECTION_NEGATIVES: &[&str] = &[
    "postgres://app:${DB_PASSWORD}@db:5432/app",
    "postgres://localhost:5432/app",
    "postgres://postgres:postgres@localhost:5432/test",
    "mysql://root@localhost/dev",
    "mongodb://admin:<password>@cluster0.mongodb.net/test",
    "redis://localhost:6379/0",
    "amqp://guest:guest@localhost:5672//",
    "https://user:password@example.com/path",
    "jdbc:postgresql://db:5432/app?user=app",
    "jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}",
    "Server=(localdb)\\mssqllocaldb;Database=Shop;Trusted_Connection=True;",
    "Server=sql01;Database=Shop;Integrated Security=SSPI;",
    "UseDevelopmentStorage=true",
    "git@github.com:acme/app.git",
    "http://localhost:8080/api@v2",
];

/// A file where connection strings are written, and how.
struct ConnectionContext {
    path: &'static str,
    render: fn(&str) -> String,
}

const CONNECTION_CONTEXTS: &[ConnectionContext] = &[
    ConnectionContext { path: "app/.env.local", render: |c| format!("DATABASE_URL=\"{c}\"") },
    ConnectionContext { path: "config/database.yml", render: |c| format!("  url: \"{c}\"") },
    ConnectionContext {
        path: "config/connections.json",
        render: |c| format!("  \"ConnectionString\": \"{c}\","),
    },
    ConnectionContext { path: "app/db_settings.py", render: |c| format!("DATABASE_URL = \"{c}\"") },
    ConnectionContext { path: "src/db.ts", render: |c| format!("const url = \"{c}\";") },
    ConnectionContext {
        path: "src/main/resources/datasource.properties",
        render: |c| format!("datasource.url={c}"),
    },
    ConnectionContext { path: "cmd/server/main.go", render: |c| format!("\tdsn := \"{c}\"") },
];

/// A case before it is placed: file, family, polarity, text.
type Labelled = (String, String, bool, String);

/// Hard negatives: things that look random or carry a credential word but
/// hold no secret.
const HARD_NEGATIVES: &[(&str, &str)] = &[
    ("notes/hashes.txt", "commit {{hex:40}}"),
    ("notes/hashes.txt", "Merge: {{hex:7}} {{hex:7}}"),
    ("notes/hashes.txt", "sha256:{{hex:64}}"),
    ("notes/hashes.txt", "{{hex:64}}  dist/app-1.2.3.tar.gz"),
    ("package-lock.json", "      \"integrity\": \"sha512-{{base64:86}}==\","),
    (
        "package-lock.json",
        "      \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\",",
    ),
    ("yarn.lock", "  integrity sha1-{{base64:27}}="),
    ("go.sum", "github.com/acme/lib v1.4.2 h1:{{base64:43}}="),
    ("go.sum", "github.com/acme/lib v1.4.2/go.mod h1:{{base64:43}}="),
    ("Cargo.lock", "checksum = \"{{hex:64}}\""),
    ("poetry.lock", "    {file = \"pkg-1.0.tar.gz\", hash = \"sha256:{{hex:64}}\"},"),
    ("data/ids.json", "  \"id\": \"{{uuid}}\","),
    ("data/ids.json", "  \"request_id\": \"{{uuid}}\","),
    ("data/ids.json", "  \"token_id\": \"{{uuid}}\","),
    ("keys/deploy.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{{base64:43}} deploy@ci"),
    ("keys/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{{base64:300}} user@laptop"),
    ("keys/public.pem", "-----BEGIN PUBLIC KEY-----\n{{pem_body:6}}\n-----END PUBLIC KEY-----"),
    ("certs/ca.crt", "-----BEGIN CERTIFICATE-----\n{{pem_body:12}}\n-----END CERTIFICATE-----"),
    (
        "web/styles.css",
        ".logo { background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA{{base64:300}}); }",
    ),
    (
        "web/app.min.js",
        "!function(e,t){var n=t.token||e.auth,r=n.split(\".\");return{token:n,secret:r[1]}}(window,{});",
    ),
    ("web/app.min.js", "var a={apiKey:e.apiKey,authDomain:e.authDomain,password:t.password,token:n.token};"),
    (
        "secrets/prod.enc.yaml",
        "password: ENC[AES256_GCM,data:{{base64:24}},iv:{{base64:43}}=,tag:{{base64:22}}==,type:str]",
    ),
    (
        "secrets/prod.enc.yaml",
        "    lastmodified: \"2024-05-01T10:00:00Z\"\n    mac: ENC[AES256_GCM,data:{{base64:60}},iv:{{base64:43}}=,tag:{{base64:22}}==,type:str]",
    ),
    ("group_vars/all/vault.yml", "$ANSIBLE_VAULT;1.1;AES256\n{{hex:80}}\n{{hex:80}}\n{{hex:40}}"),
    (
        "group_vars/all/main.yml",
        "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          {{hex:80}}",
    ),
    ("config/placeholders.env", "PASSWORD=changeme"),
    ("config/placeholders.env", "PASSWORD=password"),
    ("config/placeholders.env", "API_KEY=xxxxxxxxxxxxxxxxxxxxxxxx"),
    ("config/placeholders.env", "SECRET_KEY=your_secret_key_here"),
    ("config/placeholders.env", "AUTH_TOKEN=****************"),
    ("config/placeholders.env", "CLIENT_SECRET=<client-secret>"),
    ("config/placeholders.env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("config/placeholders.env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
    ("src/i18n/de.yaml", "password: Passwort"),
    ("src/i18n/es.yaml", "password: \"Contraseña\""),
    ("src/i18n/ru.yaml", "password: Пароль"),
    ("tests/test_auth.py", "TEST_PASSWORD_FIELD = \"password_field\""),
    ("tests/test_auth.py", "def test_password_reset(client, password_factory):"),
    ("tests/test_auth.py", "token_name = \"access_token\""),
    ("src/validators.py", "PASSWORD_RE = re.compile(r\"^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{12,}$\")"),
    ("src/validators.py", "GITHUB_TOKEN_RE = re.compile(r\"ghp_[A-Za-z0-9]{36}\")"),
    ("src/validators.py", "AWS_KEY_PATTERN = \"(AKIA|ASIA)[A-Z0-9]{16}\""),
    ("src/types.ts", "  apiKey?: string;"),
    ("src/types.ts", "export type Credentials = { username: string; password: string };"),
    ("src/App.tsx", "<input type=\"password\" value={password} onChange={setPassword} />"),
    ("docs/colors.css", ":root { --accent: #{{hex:6}}; --token-bg: #{{hex:6}}; }"),
];

/// A rule's negative example is a negative for every tool only when it
/// holds one of these placeholder marks, or has the rule's shape but a wrong
/// checksum; the others
/// are near misses of that rule's format (a token one character short
/// assigned to `API_TOKEN`), which another rule may rightly report.
const PLACEHOLDER_MARKS: &[&str] =
    &["xxxx", "XXXX", "your", "YOUR", "<", "${", "process.env", "os.environ", "EXAMPLE", "****", "..."];

/// Generates the corpus for `seed`.
pub fn generate(seed: u64) -> Corpus {
    let mut corpus = Corpus::default();
    let mut expander = Expander::new(seed);
    let mut expand = |template: &str| expander.expand(template).expect("corpus templates are valid");
    for (index, context) in CONTEXTS.iter().enumerate() {
        let mut positives = Vec::new();
        let mut negatives = Vec::new();
        for (slot, (kind, words)) in NAMES.iter().enumerate() {
            let templates = value_templates(*kind);
            let value = expand(templates[(index + slot) % templates.len()]);
            positives.push((context.render)(words, &value));
        }
        for template in context.negatives {
            negatives.push(expand(template));
        }
        let mut file = corpus.file(context.path, context.separator);
        for case in positives {
            file.add(GENERIC, true, &case);
        }
        for case in negatives {
            file.add(GENERIC, false, &case);
        }
    }
    special_cases(&mut corpus, &mut expand);
    let mut cases: Vec<Labelled> = Vec::new();
    for (index, context) in CONNECTION_CONTEXTS.iter().enumerate() {
        for (i, template) in CONNECTION_POSITIVES.iter().enumerate() {
            if i % CONNECTION_CONTEXTS.len() == index || i % 3 == index % 3 {
                cases.push((
                    context.path.into(),
                    CONNECTION.into(),
                    true,
                    (context.render)(&expand(template)),
                ));
            }
        }
        for template in CONNECTION_NEGATIVES {
            cases.push((context.path.into(), CONNECTION.into(), false, (context.render)(&expand(template))));
        }
    }
    for (path, template) in HARD_NEGATIVES {
        cases.push((path.to_string(), HARD_NEGATIVE.into(), false, expand(template)));
    }
    for rule in BUILTIN.iter().filter(|rule| rule.family != "generic" && rule.family != "connection_strings")
    {
        let path = format!("providers/{}/{}.txt", rule.family, rule.id);
        for template in rule.examples.iter() {
            cases.push((path.clone(), rule.family.to_string(), true, expand(template)));
        }
        let shape = guard::rules::set::compile_regex(&rule.regex, guard::rules::set::Author::BuiltIn)
            .expect("built-in regexes compile");
        for template in rule.negative_examples.iter() {
            let text = expand(template);
            let vetoes = rule.checksum.as_deref().and_then(Checksum::from_name).is_some_and(Checksum::vetoes);
            let wrong_checksum = vetoes && shape.is_match(text.as_bytes());
            if wrong_checksum || PLACEHOLDER_MARKS.iter().any(|m| template.contains(m)) {
                cases.push((path.clone(), rule.family.to_string(), false, text));
            }
        }
    }
    grouped(&mut corpus, cases);
    corpus
}

fn special_cases(corpus: &mut Corpus, expand: &mut impl FnMut(&str) -> String) {
    let cases = SPECIAL_POSITIVES
        .iter()
        .map(|(path, t)| (path.to_string(), GENERIC.to_string(), true, expand(t)))
        .collect();
    grouped(corpus, cases);
}

/// Adds cases to files by path, files in first-seen order.
fn grouped(corpus: &mut Corpus, cases: Vec<Labelled>) {
    let mut files: Vec<(String, Vec<Labelled>)> = Vec::new();
    for case in cases {
        match files.iter_mut().find(|(path, _)| *path == case.0) {
            Some((_, list)) => list.push(case),
            None => files.push((case.0.clone(), vec![case])),
        }
    }
    for (path, list) in files {
        let mut file = corpus.file(&path, "");
        for (_, family, positive, text) in list {
            file.add(&family, positive, &text);
        }
    }
}
