package com.example.couponservice.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading series out of a Prometheus text scrape of /actuator/prometheus. */
public final class Scrapes {

	private Scrapes() {
	}

	/** The value of {@code series} (name and labels exactly as scraped). */
	public static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("series %s in scrape", series).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	/** How much {@code series} moved between two scrapes. */
	public static double delta(String before, String after, String series) {
		return value(after, series) - value(before, series);
	}

}
