import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Serves a Solr home directory over HTTP on 127.0.0.1 for the development
 * and test stack of ckanext-sipessut.
 *
 * Usage: java -cp 'lib/*:classes' SolrServer SOLR_HOME PORT
 *
 * JettySolrRunner always binds its connector to 127.0.0.1, which is what we
 * want: nothing outside this machine may reach the stack. The process runs
 * until it is sent SIGTERM; the shutdown hook stops Jetty and closes the
 * cores cleanly so that the index survives a restart.
 */
public final class SolrServer {
    private SolrServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SolrServer SOLR_HOME PORT");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("solr.xml"))) {
            System.err.println("not a Solr home (no solr.xml): " + home);
            System.exit(2);
        }
        int port = Integer.parseInt(args[1]);

        JettyConfig config = JettyConfig.builder()
                .setPort(port)
                .setContext("/solr")
                .stopAtShutdown(true)
                // "ready" means the cores answer, not just the admin API.
                .waitForLoadingCoresToFinish(120_000L)
                .build();
        JettySolrRunner runner = new JettySolrRunner(home.toString(), config);
        try {
            runner.start();
        } catch (Exception e) {
            System.err.println("Solr could not start on 127.0.0.1:" + port + ": " + e);
            System.exit(1);
        }
        System.out.println("Solr ready at " + runner.getBaseUrl());
        Thread.currentThread().join();
    }
}
