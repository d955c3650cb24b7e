import { ApolloServerPlugin } from '@apollo/server';
import { Logger } from '../logger';

/** Logs every error that is not a known client error, with its cause, before it is masked for the client. */
export function errorLoggingPlugin(log: Logger): ApolloServerPlugin<any> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (!code || code === 'INTERNAL_SERVER_ERROR') {
              log.error({ err: error.originalError ?? error, path: error.path, operationName }, error.message);
            }
          }
        },
      };
    },
  };
}
