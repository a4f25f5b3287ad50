fn main() {
    svcflow_web::start();
}
