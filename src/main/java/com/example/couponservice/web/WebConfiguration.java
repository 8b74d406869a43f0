package com.example.couponservice.web;

import java.util.List;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Request-level protections that apply to every endpoint. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	/** Tomcat's own rejections (before any servlet) answer with problem documents too. */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

	/**
	 * A client whose Accept header cannot be parsed is offered problem documents only, so
	 * it gets a 406 problem. Left to Spring MVC, the header fails again while the error
	 * is written, and the 406 goes out with no body at all.
	 */
	@Bean
	WebMvcConfigurer unreadableAcceptGetsProblems() {
		HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();
		return new WebMvcConfigurer() {

			@Override
			public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
				configurer.strategies(List.of((request) -> {
					try {
						return header.resolveMediaTypes(request);
					}
					catch (HttpMediaTypeNotAcceptableException ex) {
						return List.of(MediaType.APPLICATION_PROBLEM_JSON);
					}
				}));
			}

		};
	}

	@Bean
	FilterRegistrationBean<ClientAddressFilter> clientAddressFilter() {
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter());
		registration.setOrder(FilterOrders.CLIENT_ADDRESS);
		return registration;
	}

}
