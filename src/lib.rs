//! placeholder
wit_bindgen::generate!({ path: "wit", world: "plugin", generate_all });
