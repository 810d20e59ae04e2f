//! The server configuration of issue 11 ("Config"): defaults, the TOML form and its errors.

use mstrp::session::{AsyncCompletion, ServerConfig};

// Issue 11: "defaults when absent: two lines and one phone supporting 0x00010004-0x00030001,
// extensions 0x00010000-0x00020000 on line 0".
#[test]
fn defaults() {
    let c = ServerConfig::default();
    assert_eq!(c.async_completion, AsyncCompletion::Immediate);
    assert_eq!(c.lines.len(), 2);
    assert_eq!(c.phones.len(), 1);
    for l in &c.lines {
        assert_eq!(l.api_versions, [0x0001_0004, 0x0003_0001]);
        assert_eq!(l.addresses, 1);
    }
    assert_eq!(c.lines[0].ext_versions, [0x0001_0000, 0x0002_0000]);
    assert_eq!(c.lines[1].ext_versions, [0, 0]);
    assert_eq!(c.phones[0].api_versions, [0x0001_0004, 0x0003_0001]);
    assert_eq!(c.phones[0].ext_versions, [0, 0]);
    assert!(c.check().is_empty());
}

#[cfg(feature = "config")]
mod toml {
    use super::*;

    // The example of issue 11, verbatim.
    const ISSUE_EXAMPLE: &str = r#"[server]
async_completion = "immediate"   # or "on_close": async requests stay pending until their line/call closes
[[line]]
name = "Line 0"
api_versions = [0x00020000, 0x00020002]   # lowest and highest TAPI version the device supports
ext_versions = [0x00010000, 0x00020000]   # [0, 0]: no extensions
addresses = 1
[[phone]]
name = "Phone 0"
api_versions = [0x00010004, 0x00030001]
ext_versions = [0, 0]
"#;

    #[test]
    fn issue_example_parses() {
        let c = ServerConfig::from_toml(ISSUE_EXAMPLE).unwrap();
        assert_eq!(c.async_completion, AsyncCompletion::Immediate);
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.lines[0].name, "Line 0");
        assert_eq!(c.lines[0].api_versions, [0x0002_0000, 0x0002_0002]);
        assert_eq!(c.lines[0].ext_versions, [0x0001_0000, 0x0002_0000]);
        assert_eq!(c.lines[0].addresses, 1);
        assert_eq!(c.phones[0].name, "Phone 0");
    }

    #[test]
    fn on_close_and_defaults_for_absent_sections() {
        let c = ServerConfig::from_toml("[server]\nasync_completion = \"on_close\"\n").unwrap();
        assert_eq!(c.async_completion, AsyncCompletion::OnClose);
        assert_eq!(
            c,
            ServerConfig {
                async_completion: AsyncCompletion::OnClose,
                ..ServerConfig::default()
            }
        );
        assert_eq!(
            ServerConfig::from_toml("").unwrap(),
            ServerConfig::default()
        );
    }

    #[test]
    fn empty_device_lists() {
        let c = ServerConfig::from_toml("line = []\nphone = []\n").unwrap();
        assert!(c.lines.is_empty() && c.phones.is_empty());
    }

    // The brief's example message: "line 7: line[0].api_versions: lowest 0x00030001 above
    // highest 0x00020000".
    #[test]
    fn lowest_above_highest_names_line_and_key() {
        let text = "# a config\n\n[server]\nasync_completion = \"immediate\"\n\n[[line]]\napi_versions = [0x00030001, 0x00020000]\nname = \"L\"\n";
        let e = ServerConfig::from_toml(text).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 7: line[0].api_versions: lowest 0x00030001 above highest 0x00020000"
        );
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = ServerConfig::from_toml(
            "[[line]]\nname = \"L\"\napi_versions = [0x00010004, 0x00030001]\nspeed = 3\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.key, "line[0].speed", "{e}");
        assert!(e.message.contains("speed"), "{e}");
    }

    #[test]
    fn unknown_section_is_an_error() {
        let e = ServerConfig::from_toml("[servr]\nx = 1\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(e.message.contains("servr"), "{e}");
    }

    #[test]
    fn bad_async_completion_value() {
        let e = ServerConfig::from_toml("[server]\nasync_completion = \"later\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert_eq!(e.key, "server.async_completion", "{e}");
    }

    #[test]
    fn wrong_type_is_an_error() {
        let e = ServerConfig::from_toml("[[phone]]\nname = \"P\"\napi_versions = \"all\"\n")
            .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert_eq!(e.key, "phone[0].api_versions", "{e}");
    }

    #[test]
    fn version_out_of_u32_range_is_an_error() {
        let e =
            ServerConfig::from_toml("[[line]]\nname = \"L\"\napi_versions = [0x100000000, 1]\n")
                .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn missing_name_is_an_error() {
        let e = ServerConfig::from_toml("[[line]]\napi_versions = [0x00010004, 0x00030001]\n")
            .unwrap_err();
        assert!(e.message.contains("name"), "{e}");
    }

    // 3.1.4.2: the valid TAPI versions are 0x00010003 ... 0x00030001.
    #[test]
    fn api_range_without_a_tapi_version() {
        let e = ServerConfig::from_toml(
            "[[line]]\nname = \"L\"\n\napi_versions = [0x00020003, 0x0002FFFF]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.key, "line[0].api_versions");
        assert!(e.message.contains("no valid TAPI version"), "{e}");
    }

    #[test]
    fn ext_range_starting_at_zero() {
        let e = ServerConfig::from_toml("[[phone]]\nname = \"P\"\napi_versions = [0x00010004, 0x00030001]\next_versions = [0, 0x00020000]\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.key, "phone[0].ext_versions");
    }

    #[test]
    fn ext_lowest_above_highest() {
        let e = ServerConfig::from_toml("[[line]]\nname = \"L\"\napi_versions = [0x00010004, 0x00030001]\next_versions = [0x00020000, 0x00010000]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 4: line[0].ext_versions: lowest 0x00020000 above highest 0x00010000"
        );
    }

    #[test]
    fn zero_addresses() {
        let e = ServerConfig::from_toml(
            "[[line]]\nname = \"L\"\napi_versions = [0x00010004, 0x00030001]\naddresses = 0\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.key, "line[0].addresses");
    }

    #[test]
    fn second_line_error_names_index_1() {
        let e = ServerConfig::from_toml("[[line]]\nname = \"A\"\napi_versions = [0x00010004, 0x00030001]\n[[line]]\nname = \"B\"\napi_versions = [0x00030001, 0x00010004]\n").unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert_eq!(e.key, "line[1].api_versions");
    }
}
