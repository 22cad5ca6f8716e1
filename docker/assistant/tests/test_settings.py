"""Settings: `*_FILE` secrets win over plain variables; an unreadable file stops the start with a clear error."""

import os
import tempfile
import unittest
from pathlib import Path

from app.settings import SettingsError, load_settings, read_secret


class ReadSecretTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, text, mode=0o600):
        path = Path(self.dir.name) / name
        path.write_text(text)
        path.chmod(mode)
        return str(path)

    def test_plain_variable_when_no_file_is_set(self):
        self.assertEqual(read_secret("ADMIN_REINGEST_KEY", {"ADMIN_REINGEST_KEY": "plain"}), "plain")
        self.assertEqual(read_secret("OPENAI_API_KEY", {}), "")

    def test_file_wins_over_the_plain_variable_and_loses_its_trailing_newline(self):
        path = self.write("admin", "from-file \n")
        env = {"ADMIN_REINGEST_KEY": "plain", "ADMIN_REINGEST_KEY_FILE": path}
        self.assertEqual(read_secret("ADMIN_REINGEST_KEY", env), "from-file ")

    def test_an_empty_file_variable_means_unset(self):
        self.assertEqual(read_secret("OPENAI_API_KEY", {"OPENAI_API_KEY": "sk-x", "OPENAI_API_KEY_FILE": ""}), "sk-x")

    def test_both_keys_are_read_from_files(self):
        env = {"OPENAI_API_KEY_FILE": self.write("openai", "sk-file\n"), "ADMIN_REINGEST_KEY_FILE": self.write("admin", "admin-file")}
        settings = load_settings(env)
        self.assertEqual((settings.openai_api_key, settings.admin_reingest_key), ("sk-file", "admin-file"))

    def test_missing_file_names_the_variable_and_the_path(self):
        path = os.path.join(self.dir.name, "nope")
        with self.assertRaises(SettingsError) as caught:
            load_settings({"OPENAI_API_KEY_FILE": path})
        self.assertIn(f"OPENAI_API_KEY_FILE is {path}, but there is no such file", str(caught.exception))
        self.assertIn("Fix:", str(caught.exception))

    @unittest.skipIf(os.geteuid() == 0, "root reads any file: permissions cannot be tested as root")
    def test_unreadable_file_names_the_variable_and_the_path(self):
        path = self.write("admin", "secret", mode=0o000)
        with self.assertRaises(SettingsError) as caught:
            read_secret("ADMIN_REINGEST_KEY", {"ADMIN_REINGEST_KEY_FILE": path})
        self.assertIn(f"ADMIN_REINGEST_KEY_FILE is {path}, but uid", str(caught.exception))

    def test_a_directory_or_an_empty_file_is_an_error_too(self):
        with self.assertRaises(SettingsError) as caught:
            read_secret("ADMIN_REINGEST_KEY", {"ADMIN_REINGEST_KEY_FILE": self.dir.name})
        self.assertIn(f"ADMIN_REINGEST_KEY_FILE is {self.dir.name}, which cannot be read", str(caught.exception))
        empty = self.write("empty", "\n")
        with self.assertRaises(SettingsError) as caught:
            read_secret("ADMIN_REINGEST_KEY", {"ADMIN_REINGEST_KEY_FILE": empty})
        self.assertIn(f"ADMIN_REINGEST_KEY_FILE is {empty}, which is empty", str(caught.exception))

    def test_an_empty_file_is_an_unset_secret_where_none_is_needed(self):
        # The compose file mounts /dev/null for an OpenAI key nobody set: fine with Ollama, an error with OpenAI.
        self.assertEqual(load_settings({"OPENAI_API_KEY_FILE": os.devnull}).openai_api_key, "")
        with self.assertRaises(SettingsError) as caught:
            load_settings({"OPENAI_API_KEY_FILE": os.devnull, "LLM_PROVIDER": "openai"})
        self.assertIn(f"OPENAI_API_KEY_FILE is {os.devnull}, which is empty", str(caught.exception))

    def test_the_error_never_contains_the_secret(self):
        path = self.write("admin", "")
        with self.assertRaises(SettingsError) as caught:
            read_secret("ADMIN_REINGEST_KEY", {"ADMIN_REINGEST_KEY": "plain-secret-value", "ADMIN_REINGEST_KEY_FILE": path})
        self.assertNotIn("plain-secret-value", str(caught.exception))


class PortTest(unittest.TestCase):
    def test_bad_port_is_an_error(self):
        for raw in ("0", "70000", "http", ""):
            with self.assertRaises(SettingsError, msg=raw):
                load_settings({"APP_PORT": raw})

    def test_the_platform_port_wins_over_app_port(self):
        self.assertEqual(load_settings({"PORT": "9100", "APP_PORT": "8123"}).port, 9100)
        self.assertEqual(load_settings({"PORT": "", "APP_PORT": "8123"}).port, 8123)
        self.assertEqual(load_settings({}).port, 8000)
        with self.assertRaises(SettingsError) as caught:
            load_settings({"PORT": "http", "APP_PORT": "8123"})
        self.assertIn('PORT is "http", expected an integer from 1 to 65535. Fix: set PORT', str(caught.exception))

    def test_public_url_defaults_to_loopback(self):
        self.assertEqual(load_settings({"APP_PORT": "8123"}).public_url, "http://127.0.0.1:8123")
        self.assertEqual(load_settings({"APP_PUBLIC_URL": "http://localhost:9000/"}).public_url, "http://localhost:9000")


if __name__ == "__main__":
    unittest.main()
