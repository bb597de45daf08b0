//! The web app's entry point, built by Trunk for `wasm32-unknown-unknown`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    ecs_iam_app::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!(
        "ecs-iam-app is a web app: run `trunk serve` (see README.md), or use the ecs-iam CLI."
    );
}
