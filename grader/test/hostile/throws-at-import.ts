// HOSTILE: throws while loading.
throw new Error('this submission refuses to load');
