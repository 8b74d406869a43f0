package com.example.couponservice;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.jspecify.annotations.NullMarked;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of docs/design.md ("Packages"), checked on the main code: which
 * package may use which, a domain that knows no HTTP, and null-safety switched on for
 * every package.
 */
@AnalyzeClasses(packages = "com.example.couponservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String BASE = "com.example.couponservice";

	@ArchTest
	static final ArchRule packagesUseOnlyWhatTheDesignAllows = layeredArchitecture()
		.consideringOnlyDependenciesInLayers()
		.layer("application")
		.definedBy(BASE)
		.layer("coupon")
		.definedBy(BASE + ".coupon")
		.layer("coupon.web")
		.definedBy(BASE + ".coupon.web")
		.layer("coupon.jdbc")
		.definedBy(BASE + ".coupon.jdbc")
		.layer("coupon.redis")
		.definedBy(BASE + ".coupon.redis")
		.layer("ratelimit")
		.definedBy(BASE + ".ratelimit")
		.layer("security")
		.definedBy(BASE + ".security")
		.layer("web")
		.definedBy(BASE + ".web")
		.layer("ops")
		.definedBy(BASE + ".ops")
		.layer("bench")
		.definedBy(BASE + ".bench")
		.whereLayer("application")
		.mayNotAccessAnyLayer()
		.whereLayer("coupon")
		.mayNotAccessAnyLayer()
		.whereLayer("coupon.web")
		.mayOnlyAccessLayers("coupon", "web")
		.whereLayer("coupon.jdbc")
		.mayOnlyAccessLayers("coupon")
		.whereLayer("coupon.redis")
		.mayOnlyAccessLayers("coupon")
		.whereLayer("ratelimit")
		.mayOnlyAccessLayers("coupon.web", "web")
		.whereLayer("security")
		.mayOnlyAccessLayers("coupon.web", "web")
		.whereLayer("web")
		.mayNotAccessAnyLayer()
		.whereLayer("ops")
		.mayOnlyAccessLayers("coupon", "coupon.web", "web")
		.whereLayer("bench")
		.mayNotAccessAnyLayer();

	@ArchTest
	static final ArchRule theDomainKnowsNoHttp = noClasses().that()
		.resideInAPackage(BASE + ".coupon")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.http..",
				"org.apache.catalina..", "org.apache.tomcat..");

	@ArchTest
	static void everyPackageIsNullMarked(JavaClasses classes) {
		for (JavaPackage javaPackage : classes.getPackage(BASE).getSubpackagesInTree()) {
			assertThat(javaPackage.tryGetPackageInfo()).as(javaPackage.getName())
				.hasValueSatisfying((
						info) -> assertThat(info.isAnnotatedWith(NullMarked.class)).as(javaPackage.getName()).isTrue());
		}
		assertThat(classes.getPackage(BASE).isAnnotatedWith(NullMarked.class)).isTrue();
	}

}
