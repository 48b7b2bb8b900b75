import type { MutateOptions } from '@tanstack/react-query';
import { useState } from 'react';
import type { CallResultOf, InputOf } from '../../../shared/api/contract.js';
import { useApiMutation, type CommandMethod, type JobMethod } from './hooks.js';
import { checkInput, issuesOfError, placeIssues, type InputIssue, type IssuePath, type PlacedIssues } from './inputIssues.js';

export interface InputFormOptions {
  /** Where the form's object sits in the call's input (`['schedule']`); `[]` when the form is the whole input. */
  readonly under: IssuePath;
  /** The fields the form can show a message beside, as dotted paths inside `under`. */
  readonly fields: readonly string[];
  /** Checks of this form beyond the schema (e.g. a path must be absolute), with paths from the top of the input. */
  readonly extra?: readonly InputIssue[];
}

/**
 * A form that sends one call: the input is checked against the contract's schema before it is sent (the
 * check main makes), and what main refuses comes back as `details.issues`; either way the messages are
 * placed beside their fields. Nothing is shown before the first attempt; after it, the form's own
 * messages follow the fields as they are corrected (until the call is accepted), and main's hold for the
 * input it refused.
 */
export function useInputForm<M extends CommandMethod | JobMethod>(method: M, input: InputOf<M>, options: InputFormOptions) {
  const mutation = useApiMutation(method);
  const [tried, setTried] = useState(false);
  const local = tried ? [...checkInput(method, input), ...(options.extra ?? [])] : [];
  const refused = mutation.error !== null && JSON.stringify(mutation.variables) === JSON.stringify(input) ? issuesOfError(mutation.error) : [];
  const issues: PlacedIssues = placeIssues(local.length > 0 ? local : refused, options.under, options.fields);

  const submit = (mutateOptions?: MutateOptions<CallResultOf<M>, Error, InputOf<M>>) => {
    setTried(true);
    if (checkInput(method, input).length > 0 || (options.extra?.length ?? 0) > 0) return;
    mutation.mutate(input, {
      ...mutateOptions,
      // Sent and accepted: the form starts afresh (a passphrase it clears is not "missing").
      onSuccess: (...args) => {
        setTried(false);
        return mutateOptions?.onSuccess?.(...args);
      },
    });
  };

  return {
    mutation,
    issues,
    submit,
    /** The failure to show as a whole: any error of the call that is not about the fields. */
    error: mutation.error !== null && issuesOfError(mutation.error).length === 0 ? mutation.error : null,
  };
}
