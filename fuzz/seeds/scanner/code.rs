fn main() {
    let password = std::env::var("PASSWORD").unwrap_or_default();
    // token: none
}
