package com.example.couponservice.coupon.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One script of the store: {@code lib.lua} and the script's own file, and the SHA-1 that
 * {@code EVALSHA} names it by (Redis's script cache is keyed by it, so it is computed
 * here rather than asked for).
 *
 * @param name the file name without {@code .lua}
 * @param body the whole script
 * @param sha the SHA-1 of {@code body} in hex
 */
record LuaScript(String name, String body, String sha) {

	static LuaScript load(String name) {
		String body = read("lib") + "\n" + read(name);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
			return new LuaScript(name, body, HexFormat.of().formatHex(digest));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JVM has SHA-1", ex);
		}
	}

	private static String read(String name) {
		try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
			if (in == null) {
				throw new IllegalStateException("no script " + name + ".lua beside " + LuaScript.class.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + name + ".lua", ex);
		}
	}

}
